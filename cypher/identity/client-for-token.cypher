// An API client's facts for the client-credentials exchange.
MATCH (c:ApiClient {id: $id})
OPTIONAL MATCH (c)-[:MEMBER_OF]->(o:Organisation)
RETURN c.id AS id, c.secretHash AS secretHash, c.roles AS roles, c.organisation AS organisation,
       c.revokedAt IS NOT NULL AS revoked, o.kind AS kind
