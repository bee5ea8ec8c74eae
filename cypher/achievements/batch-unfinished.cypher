// The batch watchdog's round: every batch not yet completed or failed, oldest first.
MATCH (b:Batch)
WHERE b.status IN ['received', 'validating', 'loading']
WITH b ORDER BY b.receivedAt
LIMIT $limit
RETURN b.id AS id, b.status AS status, coalesce(b.autoResumes, 0) AS autoResumes,
       toString(coalesce(b.progressAt, b.receivedAt)) AS progressAt
