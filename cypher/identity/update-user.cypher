// Change a user of one organisation: roles and/or disabled (null leaves it as it is).
// No row when the user is not a member of that organisation.
MATCH (:Organisation {ukprn: $ukprn})<-[:MEMBER_OF]-(u:User {id: $id})
SET u.roles = coalesce($roles, u.roles),
    u.disabled = coalesce($disabled, u.disabled),
    u.updatedAt = datetime($now), u.updatedBy = $updatedBy
RETURN u.id AS id, u.emailSealed AS emailSealed, u.roles AS roles, u.organisation AS organisation,
       coalesce(u.disabled, false) AS disabled, u.passwordHash IS NOT NULL AS hasPassword,
       u.createdAt.epochMillis AS createdAtMs, u.lastLoginAt.epochMillis AS lastLoginAtMs
