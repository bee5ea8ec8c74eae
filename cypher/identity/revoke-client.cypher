// Revoke an API client of one organisation; no row when it is not that organisation's.
// Revoking again keeps the first revocation's time and author.
MATCH (:Organisation {ukprn: $ukprn})<-[:MEMBER_OF]-(c:ApiClient {id: $id})
SET c.revokedAt = coalesce(c.revokedAt, datetime($now)), c.revokedBy = coalesce(c.revokedBy, $revokedBy)
RETURN c.id AS id, c.name AS name, c.roles AS roles, c.organisation AS organisation,
       c.createdAt.epochMillis AS createdAtMs, c.revokedAt.epochMillis AS revokedAtMs
