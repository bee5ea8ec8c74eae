// A learner is known by their ULN (SPEC 2).
CREATE CONSTRAINT learner_uln IF NOT EXISTS FOR (l:Learner) REQUIRE l.uln IS UNIQUE
