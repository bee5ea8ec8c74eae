// For /metrics: achievement batches by status, and for those loading now the rows
// processed and the seconds since loading began (rows per second, summed over batches).
MATCH (b:Batch)
WITH b.status AS status, count(*) AS batches,
  sum(CASE WHEN b.status IN ['validating', 'loading'] THEN b.processed ELSE 0 END) AS processed,
  sum(CASE WHEN b.status IN ['validating', 'loading'] AND b.loadingAt IS NOT NULL
      THEN toFloat(b.processed) / (toFloat(duration.inSeconds(b.loadingAt, datetime()).seconds) + 1.0) ELSE 0.0 END) AS rowsPerSecond,
  sum(CASE WHEN b.finishedAt IS NULL AND b.receivedAt < datetime() - duration('PT48H') THEN 1 ELSE 0 END) AS overdue
RETURN status, batches, processed, rowsPerSecond, overdue
