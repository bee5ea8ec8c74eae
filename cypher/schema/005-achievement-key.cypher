// An achievement record's key is the submitting AO's UKPRN and the AO's own record id,
// which is what makes re-submission idempotent (SPEC 5).
CREATE CONSTRAINT achievement_key IF NOT EXISTS FOR (a:Achievement) REQUIRE a.key IS UNIQUE
