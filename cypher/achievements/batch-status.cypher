// Move a batch to validating or loading (a worker started or resumed it); a finished batch
// keeps its outcome. startedAt is kept from the first start, so a resumed batch's duration
// counts from then.
MATCH (b:Batch {id: $id})
WHERE NOT b.status IN ['completed', 'failed']
SET b.status = $status,
    b.startedAt = coalesce(b.startedAt, datetime($at)),
    b.loadingAt = CASE WHEN $status = 'loading' THEN coalesce(b.loadingAt, datetime($at)) ELSE b.loadingAt END,
    b.attempts = coalesce(b.attempts, 0) + CASE WHEN $status = 'validating' THEN 1 ELSE 0 END
RETURN b.status AS status
