// Every catalogue node (units, qualifications, rule groups, barred sets, exemptions, owning organisations) with its properties, for counts and fingerprints.
MATCH (n:Unit|Qualification|RuleGroup|BarredSet|Exemption)
RETURN labels(n) AS labels, elementId(n) AS id, properties(n) AS props
UNION ALL
MATCH (n:Organisation)
WHERE EXISTS { (n)-[:OWNS]->(:Qualification) }
RETURN labels(n) AS labels, elementId(n) AS id, {ukprn: n.ukprn} AS props
