// Create barred sets of freshly cleared qualifications, each with BARS edges to its units in file order.
UNWIND $rows AS row
MATCH (q:Qualification {qan: row.qan})
CREATE (q)-[:HAS_BARRED]->(b:BarredSet {key: row.key, position: row.position})
WITH b, row
UNWIND range(0, size(row.units) - 1) AS i
MATCH (u:Unit {urn: row.units[i]})
CREATE (b)-[:BARS {position: i}]->(u)
RETURN count(*) AS barred
