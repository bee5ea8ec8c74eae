// Issue 17 point 6: the indexes of status list $list whose credentials are revoked (by
// hand, or because a record they carry was amended or withdrawn), and the list's size.
OPTIONAL MATCH (s:StatusList {id: $list})
RETURN s IS NOT NULL AS exists, coalesce(s.next, 0) AS size,
  COLLECT {
    MATCH (s)-[:HAS_ENTRY]->(c:Credential)
    WHERE c.revokedAt IS NOT NULL
      OR EXISTS {
        MATCH (c)-[k:CARRIES]->(a:Achievement)
        WHERE a.status = 'withdrawn' OR coalesce(a.version, 1) <> k.version
      }
    RETURN c.index
  } AS revoked
