// A batch ends: completed, or failed with a reason a person can act on.
MATCH (b:Batch {id: $id})
SET b.status = $status, b.finishedAt = datetime($at), b.failure = $failure,
    b.pass = CASE WHEN $status = 'completed' THEN 'done' ELSE b.pass END
RETURN b.status AS status
