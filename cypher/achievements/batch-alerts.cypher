// For alerts (operations metrics): batches not finished, those of them without progress
// since $stuckBefore (stuck), and batches that failed since $failedSince.
MATCH (b:Batch)
WITH b, b.status IN ['received', 'validating', 'loading'] AS open
RETURN count(CASE WHEN open THEN 1 END) AS unfinished,
       count(CASE WHEN open AND coalesce(b.progressAt, b.receivedAt) < datetime($stuckBefore) THEN 1 END) AS stuck,
       count(CASE WHEN b.status = 'failed' AND b.finishedAt >= datetime($failedSince) THEN 1 END) AS failed
