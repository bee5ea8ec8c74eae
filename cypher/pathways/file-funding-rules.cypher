// Pathway data file: funding rules that are new or changed replace what the graph held:
// age bands, maximum level, prior attainment, dates, and exactly the file's qualifications.
UNWIND $rows AS row
MERGE (f:FundingRule {id: row.id})
SET f.name = row.name, f.ageBands = row.ageBands, f.maxLevel = row.maxLevel, f.maxLevelRank = row.maxLevelRank,
  f.priorAttainment = row.priorAttainment, f.from = date(row.from), f.to = date(row.to), f.pathwayHash = row.hash
WITH f, row
CALL (f) {
  MATCH (f)-[old:FUNDS]->(:Qualification)
  DELETE old
}
CALL (f, row) {
  UNWIND row.qans AS qan
  MATCH (q:Qualification {qan: qan})
  CREATE (f)-[r:FUNDS]->(q)
  RETURN count(r) AS links
}
RETURN sum(links) AS links
