// Routes to achievement: funding rules. A rule funds the qualifications it points at for
// learners in one of its age bands, up to its maximum level (no maximum when null).
UNWIND $rows AS row
MERGE (f:FundingRule {id: row.id})
SET f.name = row.name, f.ageBands = row.ageBands, f.maxLevel = row.maxLevel, f.maxLevelRank = row.maxLevelRank
WITH f, row
UNWIND row.qans AS qan
MATCH (q:Qualification {qan: qan})
MERGE (f)-[r:FUNDS]->(q)
RETURN count(r) AS links
