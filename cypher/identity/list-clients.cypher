// The API clients of one organisation, revoked ones too (with when).
MATCH (:Organisation {ukprn: $ukprn})<-[:MEMBER_OF]-(c:ApiClient)
RETURN c.id AS id, c.name AS name, c.roles AS roles, c.organisation AS organisation,
       c.createdAt.epochMillis AS createdAtMs, c.revokedAt.epochMillis AS revokedAtMs
ORDER BY c.createdAt
