// Credit transfer: qualifications whose rule groups hold the unit itself or a unit it counts as, following at most 8 equivalence steps that are global or scoped to that qualification.
MATCH (start:Unit {urn: $urn})
MATCH p = (start)-[:COUNTS_AS*0..8]->(v:Unit)
MATCH (v)<-[:INCLUDES]-(g:RuleGroup)<-[:HAS_GROUP]-(q:Qualification)
WHERE all(r IN relationships(p) WHERE r.qan IS NULL OR r.qan = q.qan)
WITH q, v, min(length(p)) AS steps, collect(DISTINCT g.id) AS groups
ORDER BY v.urn
WITH q, collect({urn: v.urn, steps: steps, groups: groups}) AS reached
RETURN q.qan AS qan, q.title AS title, q.level AS level, reached
ORDER BY q.qan
