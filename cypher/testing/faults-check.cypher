// The fault harness (bench/faults.ts): what a trial's batch left in the graph. Each trial
// has an AO of its own, so its records are exactly the batch's.
CALL {
  MATCH (a:Achievement {aoUkprn: $ao})
  RETURN count(a) AS records, sum(CASE WHEN a.version = 1 THEN 0 ELSE 1 END) AS notVersion1
}
CALL {
  MATCH (r:BatchRejection {batchId: $id})
  RETURN count(r) AS rejections, count(DISTINCT r.row) AS rejectedRowsReported
}
RETURN records, coalesce(notVersion1, 0) AS notVersion1, rejections, rejectedRowsReported
