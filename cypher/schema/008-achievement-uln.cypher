// Achievements are looked up by learner when a record is built or a credit checked.
CREATE INDEX achievement_uln IF NOT EXISTS FOR (a:Achievement) ON (a.uln)
