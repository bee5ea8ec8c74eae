// A verifiable credential issued from a learner's record (issue 17 point 6) is found by its id.
CREATE CONSTRAINT credential_id IF NOT EXISTS FOR (c:Credential) REQUIRE c.id IS UNIQUE
