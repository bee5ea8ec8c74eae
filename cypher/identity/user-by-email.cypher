// A user's sign-in facts by email (stored lower-cased).
MATCH (u:User {emailIndex: $emailIndex})
OPTIONAL MATCH (u)-[:MEMBER_OF]->(o:Organisation)
RETURN u.id AS id, u.roles AS roles, u.organisation AS organisation, u.uln AS uln,
       u.passwordHash AS passwordHash, coalesce(u.disabled, false) AS disabled,
       coalesce(u.failedLogins, 0) AS failedLogins,
       u.lockedUntil.epochMillis AS lockedUntilMs, o.kind AS kind
