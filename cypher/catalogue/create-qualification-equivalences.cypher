// Create equivalences that hold for one qualification only: COUNTS_AS edges carrying its QAN.
UNWIND $rows AS row
MATCH (a:Unit {urn: row.from})
MATCH (b:Unit {urn: row.to})
CREATE (a)-[:COUNTS_AS {qan: row.qan, position: row.position}]->(b)
RETURN count(*) AS created
