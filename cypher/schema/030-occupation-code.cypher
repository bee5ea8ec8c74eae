// Routes to achievement (OCF 06): an occupation is known by its code, the key career-aspiration filters use.
CREATE CONSTRAINT occupation_code IF NOT EXISTS FOR (o:Occupation) REQUIRE o.code IS UNIQUE
