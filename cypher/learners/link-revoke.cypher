// Withdraw one of a learner's record links; a link already withdrawn keeps its first time.
MATCH (:Learner {uln: $uln})-[:SHARES_RECORD]->(k:RecordLink {id: $id})
SET k.revokedAt = coalesce(k.revokedAt, datetime($now))
RETURN k {
  .id, .singleUse, .lifetimeHours, .showName, .opens,
  createdAt: toString(k.createdAt), expiresAt: toString(k.expiresAt),
  usedAt: toString(k.usedAt), revokedAt: toString(k.revokedAt)
} AS link
