// A refresh token is found by the id part of the token; its secret is only stored hashed.
CREATE CONSTRAINT refresh_token_id IF NOT EXISTS FOR (t:RefreshToken) REQUIRE t.id IS UNIQUE
