// The public record of each token-signing key (never its private part), by key id.
CREATE CONSTRAINT signing_key_kid IF NOT EXISTS FOR (k:SigningKey) REQUIRE k.kid IS UNIQUE
