// A learner's record links, newest first, one page of them and how many there are.
MATCH (l:Learner {uln: $uln})
RETURN COUNT { (l)-[:SHARES_RECORD]->(:RecordLink) } AS total,
  COLLECT {
    MATCH (l)-[:SHARES_RECORD]->(k:RecordLink)
    WITH k ORDER BY k.createdAt DESC, k.id
    SKIP $offset LIMIT $limit
    RETURN k {
      .id, .singleUse, .lifetimeHours, .showName, .opens,
      createdAt: toString(k.createdAt), expiresAt: toString(k.expiresAt),
      usedAt: toString(k.usedAt), revokedAt: toString(k.revokedAt)
    }
  } AS items
