// Tests and benchmarks only: empty the one shared database between test files (schema stays).
// Small batches, fewest relationships first: by the time a node with a million relationships
// (an AO after a large batch, a unit offered by hundreds of providers) comes up, the nodes at
// the other ends have gone, so no one transaction has to hold them all.
MATCH (n)
WITH n ORDER BY COUNT { (n)--() } ASC
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS
