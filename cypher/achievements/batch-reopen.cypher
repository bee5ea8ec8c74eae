// A batch taken up again: by the watchdog (its job was gone or had failed) or by the
// operator (POST /achievements/batches/{id}/resume). A failed batch goes back to received
// (its checkpoint kept: the run goes on from there) and its completion email will be sent
// again; what was done and why is kept on the batch for its status. The watchdog counts
// its own resumes (it gives up after a few); the operator's resume starts that count again.
MATCH (b:Batch {id: $id})
WHERE b.status <> 'completed'
WITH b, b.status = 'failed' AS wasFailed
SET b.status = CASE WHEN wasFailed THEN 'received' ELSE b.status END,
    b.finishedAt = null,
    b.failure = null,
    b.mail = CASE WHEN wasFailed THEN null ELSE b.mail END,
    b.runsWithoutProgress = 0,
    b.resumes = coalesce(b.resumes, 0) + 1,
    b.autoResumes = CASE WHEN $by = 'operator' THEN 0 ELSE coalesce(b.autoResumes, 0) + 1 END,
    b.recovery = $note,
    b.recoveryAt = datetime($at),
    b.progressAt = datetime($at)
RETURN b.status AS status, b.resumes AS resumes
