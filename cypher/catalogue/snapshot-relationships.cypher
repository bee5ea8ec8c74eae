// Every catalogue relationship with the keys of its two ends and its properties, for counts and fingerprints.
MATCH (a)-[r:OWNS|HAS_GROUP|INCLUDES|HAS_BARRED|BARS|IN_GROUP|COUNTS_AS]->(b)
WHERE b:Unit OR b:Qualification OR b:RuleGroup OR b:BarredSet
RETURN type(r) AS type, elementId(r) AS id,
  coalesce(a.key, a.qan, a.urn, a.ukprn) AS from,
  coalesce(b.key, b.qan, b.urn, b.ukprn) AS to,
  properties(r) AS props
