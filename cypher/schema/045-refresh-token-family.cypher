// Reuse of a rotated refresh token revokes its whole family (one sign-in's chain of tokens).
CREATE INDEX refresh_token_family IF NOT EXISTS FOR (t:RefreshToken) ON (t.familyId)
