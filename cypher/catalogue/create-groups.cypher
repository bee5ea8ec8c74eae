// Create rule groups of freshly cleared qualifications, each with INCLUDES edges to its units in file order.
UNWIND $rows AS row
MATCH (q:Qualification {qan: row.qan})
CREATE (q)-[:HAS_GROUP]->(g:RuleGroup {
  key: row.key, id: row.id, title: row.title, mandatory: row.mandatory,
  minCredits: row.minCredits, maxCredits: row.maxCredits,
  minUnits: row.minUnits, maxUnits: row.maxUnits, position: row.position
})
WITH g, row
UNWIND range(0, size(row.units) - 1) AS i
MATCH (u:Unit {urn: row.units[i]})
CREATE (g)-[:INCLUDES {position: i}]->(u)
RETURN count(*) AS included
