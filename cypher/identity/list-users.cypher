// The users of one organisation (the repository opens the sealed emails and sorts by them).
MATCH (:Organisation {ukprn: $ukprn})<-[:MEMBER_OF]-(u:User)
RETURN u.id AS id, u.emailSealed AS emailSealed, u.roles AS roles, u.organisation AS organisation,
       coalesce(u.disabled, false) AS disabled, u.passwordHash IS NOT NULL AS hasPassword,
       u.createdAt.epochMillis AS createdAtMs, u.lastLoginAt.epochMillis AS lastLoginAtMs
