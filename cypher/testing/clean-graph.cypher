// Tests and benchmarks only: empty the one shared database between test files (schema stays).
// Small batches: a unit offered by hundreds of providers brings all its relationships along.
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS
