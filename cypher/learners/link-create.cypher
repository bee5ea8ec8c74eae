// Make a record link for a learner, unless they have made $maxPerDay links in the 24
// hours before $now. The link holds no address and no personal detail, only its times.
MATCH (l:Learner {uln: $uln})
WITH l, COUNT {
  MATCH (l)-[:SHARES_RECORD]->(k:RecordLink)
  WHERE k.createdAt > datetime($now) - duration('PT24H')
} AS recent
FOREACH (_ IN CASE WHEN recent < $maxPerDay THEN [1] ELSE [] END |
  CREATE (l)-[:SHARES_RECORD]->(:RecordLink {
    id: $id, uln: $uln, createdAt: datetime($now), expiresAt: datetime($expiresAt),
    lifetimeHours: $lifetimeHours, singleUse: $singleUse, showName: $showName, opens: 0
  })
)
RETURN recent, recent < $maxPerDay AS created
