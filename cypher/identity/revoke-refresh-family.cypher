// Revoke every live token of one sign-in's family (logout, or reuse of a rotated token).
MATCH (t:RefreshToken {familyId: $familyId})
WHERE t.revokedAt IS NULL
SET t.revokedAt = datetime($now), t.revokedReason = $reason
RETURN count(t) AS revoked
