// A qualification is known by its qualification number.
CREATE CONSTRAINT qualification_qan IF NOT EXISTS FOR (q:Qualification) REQUIRE q.qan IS UNIQUE
