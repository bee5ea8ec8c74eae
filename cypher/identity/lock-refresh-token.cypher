// Read a refresh token for use, taking its write lock first (the SET), so that two
// refreshes with the same token are decided one after the other, never both accepted.
MATCH (t:RefreshToken {id: $id})
SET t.lastPresentedAt = datetime($now)
WITH t
OPTIONAL MATCH (u:User {id: t.userId})
RETURN t.hash AS hash, t.familyId AS familyId, t.userId AS userId,
       t.expiresAt.epochMillis AS expiresAtMs, t.rotatedAt IS NOT NULL AS rotated,
       t.revokedAt IS NOT NULL AS revoked, u IS NOT NULL AS userExists,
       coalesce(u.disabled, false) AS userDisabled
