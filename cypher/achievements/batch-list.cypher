// Batches newest first: one AO's, or every AO's when $aoUkprn is null (the operator); with
// $state, only the failed ones, the unfinished ones, or the stuck ones (unfinished, with no
// progress since $stuckBefore).
MATCH (b:Batch)
WHERE ($aoUkprn IS NULL OR b.aoUkprn = $aoUkprn)
  AND ($state IS NULL
       OR ($state = 'failed' AND b.status = 'failed')
       OR ($state IN ['unfinished', 'stuck'] AND b.status IN ['received', 'validating', 'loading']
           AND ($state = 'unfinished' OR coalesce(b.progressAt, b.receivedAt) < datetime($stuckBefore))))
WITH b ORDER BY b.receivedAt DESC, b.id
LIMIT $limit
RETURN b {.*, receivedAt: toString(b.receivedAt), startedAt: toString(b.startedAt),
          loadingAt: toString(b.loadingAt), finishedAt: toString(b.finishedAt),
          progressAt: toString(b.progressAt), recoveryAt: toString(b.recoveryAt),
          checkpointAt: null} AS batch
