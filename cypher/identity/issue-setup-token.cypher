// A forgotten password: a new single-use set-password token for a user who may sign in
// (not disabled). It replaces any earlier one, so only the newest link works.
MATCH (u:User {id: $id})
WHERE NOT coalesce(u.disabled, false)
SET u.setupTokenHash = $setupTokenHash, u.setupTokenExpiresAt = datetime($setupTokenExpiresAt)
RETURN u.id AS id
