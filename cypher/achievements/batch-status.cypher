// The batch's run moves it from validating to loading; a finished batch keeps its outcome,
// and a run that is no longer the batch's (another took over) changes nothing.
MATCH (b:Batch {id: $id})
WHERE NOT b.status IN ['completed', 'failed'] AND b.runId = $runId
SET b.status = 'loading',
    b.loadingAt = coalesce(b.loadingAt, datetime($at))
RETURN b.status AS status
