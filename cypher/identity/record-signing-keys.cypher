// The public record of the signing keys after a rotation: kid and times, never key material.
UNWIND $keys AS k
MERGE (s:SigningKey {kid: k.kid})
SET s.createdAt = datetime(k.createdAt),
    s.retiredAt = CASE WHEN k.retiredAt IS NULL THEN null ELSE datetime(k.retiredAt) END,
    s.publishUntil = CASE WHEN k.publishUntil IS NULL THEN null ELSE datetime(k.publishUntil) END,
    s.current = k.current
RETURN count(s) AS recorded
