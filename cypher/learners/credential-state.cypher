// Issue 17 point 6: whether a credential is still good. It is revoked when it was revoked
// by hand, or when a record it carries was amended or withdrawn since it was issued.
MATCH (c:Credential {id: $id})
RETURN c.list AS list, c.index AS index, toString(c.revokedAt) AS revokedAt,
  COLLECT {
    MATCH (c)-[k:CARRIES]->(a:Achievement)
    WHERE a.status = 'withdrawn' OR coalesce(a.version, 1) <> k.version
    RETURN a.recordId
  } AS changed
