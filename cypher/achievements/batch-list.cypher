// Batches newest first: one AO's, or every AO's when $aoUkprn is null (the operator).
MATCH (b:Batch)
WHERE $aoUkprn IS NULL OR b.aoUkprn = $aoUkprn
WITH b ORDER BY b.receivedAt DESC, b.id
LIMIT $limit
RETURN b {.*, receivedAt: toString(b.receivedAt), startedAt: toString(b.startedAt),
          loadingAt: toString(b.loadingAt), finishedAt: toString(b.finishedAt)} AS batch
