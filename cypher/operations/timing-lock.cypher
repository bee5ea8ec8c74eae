// Flush of response-time figures, step 1: make sure each day's node exists and take its
// write lock (the SET), then read what other processes have stored there. Keys come
// sorted, so two flushing processes lock in the same order and cannot deadlock.
UNWIND $rows AS row
MERGE (t:ServiceTiming {key: row.key})
  ON CREATE SET t.ocf = row.ocf, t.day = date(row.day), t.month = substring(row.day, 0, 7), t.count = 0, t.sumMicros = 0, t.errors = 0, t.flushes = 0
SET t.flushes = t.flushes + 1
RETURN t.key AS key, t.histogram AS histogram
