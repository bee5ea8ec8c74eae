// Equivalences that hold everywhere and lead into any of the given units, with the unit they start from.
UNWIND $urns AS urn
MATCH (a:Unit)-[r:COUNTS_AS]->(b:Unit {urn: urn})
WHERE r.qan IS NULL
RETURN a.urn AS from, b.urn AS to, a {.urn, .title, .level, .credit} AS fromUnit
