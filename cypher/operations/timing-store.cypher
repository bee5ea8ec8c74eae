// Flush of response-time figures, step 2 (same transaction as timing-lock): the merged
// histogram replaces the stored one; counts and sums add.
UNWIND $rows AS row
MATCH (t:ServiceTiming {key: row.key})
SET t.histogram = row.histogram,
    t.count = t.count + row.count,
    t.sumMicros = t.sumMicros + row.sumMicros,
    t.errors = t.errors + row.errors
RETURN count(t) AS stored
