// A right password: clear the failure count and any expired lock; replace the hash when
// it was made with older parameters ($newHash), keep it otherwise.
MATCH (u:User {id: $id})
SET u.failedLogins = 0, u.lockedUntil = null, u.lastLoginAt = datetime($now),
    u.passwordHash = coalesce($newHash, u.passwordHash)
RETURN u.id AS id
