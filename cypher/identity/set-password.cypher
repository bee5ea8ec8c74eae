// Set a password with a set-password token: it must match, be unexpired and the user not
// disabled. The token is used up in the same statement, so it works once.
MATCH (u:User {id: $id})
WHERE u.setupTokenHash = $tokenHash
  AND u.setupTokenExpiresAt > datetime($now)
  AND NOT coalesce(u.disabled, false)
SET u.passwordHash = $passwordHash, u.passwordSetAt = datetime($now),
    u.setupTokenHash = null, u.setupTokenExpiresAt = null,
    u.failedLogins = 0, u.lockedUntil = null
RETURN u.id AS id
