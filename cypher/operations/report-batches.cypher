// Achievement batches received or finished in [$from, $to), or still open and received
// before $to: the service-level report's OCF 01 figures. Validate-only batches load
// nothing and are left out.
MATCH (b:Batch)
WHERE coalesce(b.validateOnly, false) = false
  AND b.receivedAt < datetime($to)
  AND (b.receivedAt >= datetime($from) OR b.finishedAt IS NULL OR b.finishedAt >= datetime($from))
RETURN b.id AS id, b.status AS status, toString(b.receivedAt) AS receivedAt, toString(b.finishedAt) AS finishedAt,
  b.rows AS rows
