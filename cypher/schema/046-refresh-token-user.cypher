// Disabling a user or setting a password revokes all of that user's refresh tokens.
CREATE INDEX refresh_token_user IF NOT EXISTS FOR (t:RefreshToken) ON (t.userId)
