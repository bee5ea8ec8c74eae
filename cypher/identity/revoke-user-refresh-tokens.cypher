// Revoke every live refresh token of a user (disabled, or a new password set).
MATCH (t:RefreshToken {userId: $userId})
WHERE t.revokedAt IS NULL
SET t.revokedAt = datetime($now), t.revokedReason = $reason
RETURN count(t) AS revoked
