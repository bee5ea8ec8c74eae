// An organisation's API client; only the hash of its secret is kept.
MATCH (o:Organisation {ukprn: $ukprn})
CREATE (c:ApiClient {
  id: $id, name: $name, roles: $roles, organisation: $ukprn, secretHash: $secretHash,
  createdAt: datetime($now), createdBy: $createdBy
})-[:MEMBER_OF]->(o)
RETURN c.id AS id, c.name AS name, c.roles AS roles, c.organisation AS organisation,
       c.createdAt.epochMillis AS createdAtMs, null AS revokedAtMs
