// Lock a user out of signing in until $lockedUntil, starting the count again.
MATCH (u:User {id: $id})
SET u.lockedUntil = datetime($lockedUntil), u.failedLogins = 0
RETURN u.id AS id
