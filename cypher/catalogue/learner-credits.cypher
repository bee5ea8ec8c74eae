// Every unit credit a learner holds, with the records of any ULN merged into theirs, for
// the RoC evaluator; optionally only the records one AO submitted.
MATCH (l:Learner)
WHERE l.uln = $uln OR l.linkedTo = $uln
MATCH (l)-[:ACHIEVED]->(a:Achievement {kind: 'unit'})
WHERE $aoUkprn IS NULL OR a.aoUkprn = $aoUkprn
RETURN a.key AS id, a.urn AS urn, a.credit AS credit, a.level AS level,
       toString(a.awardDate) AS awardDate, a.status AS status, a.underChallenge AS underChallenge
ORDER BY a.awardDate, a.key
