// The fault harness (bench/faults.ts): remove an exact trial's records, so the graph stays
// the size of one batch however many trials run.
MATCH (a:Achievement {aoUkprn: $ao})
CALL (a) { DETACH DELETE a } IN TRANSACTIONS OF 5000 ROWS
