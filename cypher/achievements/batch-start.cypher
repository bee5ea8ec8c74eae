// A run of a batch starts (or starts again after a worker died): it claims the batch with a
// run id of its own, so an older run that is still going finds it is not the batch's run
// any more at its next chunk and stops. Counts the runs that start from the same
// checkpoint as the one before (no progress between them), so a file that kills every
// worker that reads it fails instead of going round for ever. A finished batch keeps its
// outcome (no row). startedAt is kept from the first start.
MATCH (b:Batch {id: $id})
WHERE NOT b.status IN ['completed', 'failed']
WITH b, coalesce(b.startPass = b.pass AND b.startChunk = b.chunk, false) AS same
SET b.status = 'validating',
    b.runId = $runId,
    b.startedAt = coalesce(b.startedAt, datetime($at)),
    b.progressAt = datetime($at),
    b.attempts = coalesce(b.attempts, 0) + 1,
    b.runsWithoutProgress = CASE WHEN same THEN coalesce(b.runsWithoutProgress, 0) + 1 ELSE 1 END,
    b.startPass = b.pass,
    b.startChunk = b.chunk
RETURN b.runsWithoutProgress AS runsWithoutProgress
