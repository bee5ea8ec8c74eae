// A user's sign-in facts by id (for a refresh: the roles as they are now, not as at sign-in).
MATCH (u:User {id: $id})
OPTIONAL MATCH (u)-[:MEMBER_OF]->(o:Organisation)
RETURN u.id AS id, u.roles AS roles, u.organisation AS organisation, u.uln AS uln,
       u.passwordHash AS passwordHash, coalesce(u.disabled, false) AS disabled,
       coalesce(u.failedLogins, 0) AS failedLogins,
       u.lockedUntil.epochMillis AS lockedUntilMs, o.kind AS kind
