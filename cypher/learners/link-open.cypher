// Open a record link, in one statement: take the link's write lock first (the SET), so a
// concurrent opening waits and then reads what this one wrote; then, when the link is
// not revoked, not expired, not a used single-use link and the learner's record is
// available, count the opening and mark it used. Returns the state found before.
MATCH (l:Learner {uln: $uln})-[:SHARES_RECORD]->(k:RecordLink {id: $id})
SET k.lastAttemptAt = datetime($now)
WITH l, k, k.usedAt AS usedBefore,
  k.revokedAt IS NULL
  AND k.expiresAt > datetime($now)
  AND NOT (k.singleUse AND k.usedAt IS NOT NULL)
  AND coalesce(l.available, true) AS opened
SET k.usedAt = CASE WHEN opened THEN coalesce(k.usedAt, datetime($now)) ELSE k.usedAt END,
    k.opens = coalesce(k.opens, 0) + CASE WHEN opened THEN 1 ELSE 0 END
RETURN opened, coalesce(l.available, true) AS available, k.showName AS showName,
  k.singleUse AS singleUse, toString(k.expiresAt) AS expiresAt,
  toString(usedBefore) AS usedAt, toString(k.revokedAt) AS revokedAt
