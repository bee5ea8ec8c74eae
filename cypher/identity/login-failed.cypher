// Count one more wrong password. The SET takes the node's write lock, so concurrent
// failures are all counted; the new count decides the lock-out (src/identity/lockout.ts).
MATCH (u:User {id: $id})
SET u.failedLogins = coalesce(u.failedLogins, 0) + 1, u.lastFailedLoginAt = datetime($now)
RETURN u.failedLogins AS failedLogins
