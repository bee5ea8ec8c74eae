// A batch ends: completed, or failed with a reason a person can act on. Only an unfinished
// batch, and with a run id only by the run that owns it (an older run that lost the batch
// to another cannot end it); without one (the watchdog) by whoever found it failed.
MATCH (b:Batch {id: $id})
WHERE NOT b.status IN ['completed', 'failed'] AND ($runId IS NULL OR b.runId = $runId)
SET b.status = $status, b.finishedAt = datetime($at), b.failure = $failure,
    b.pass = CASE WHEN $status = 'completed' THEN 'done' ELSE b.pass END
RETURN b.status AS status
