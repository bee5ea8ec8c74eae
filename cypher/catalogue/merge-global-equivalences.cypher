// Add equivalences that hold for every qualification (no qan on the edge); existing ones are kept as they are.
UNWIND $rows AS row
MATCH (a:Unit {urn: row.from})
MATCH (b:Unit {urn: row.to})
OPTIONAL MATCH (a)-[old:COUNTS_AS {global: true}]->(b)
WITH a, b, old
WHERE old IS NULL
MERGE (a)-[:COUNTS_AS {global: true}]->(b)
RETURN count(*) AS created
