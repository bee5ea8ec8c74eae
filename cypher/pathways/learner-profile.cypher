// Routes to achievement: what the route search needs about one learner, in one read: their
// unit credits (and those of ULNs merged into theirs; one AO's records only when $aoUkprn is
// given) and their funding age band on $date. The date of birth never leaves the database:
// only the band does.
OPTIONAL MATCH (m:Learner {uln: $uln})-[:HAS_DETAILS]->(d:PersonalDetails)
WITH d, CASE WHEN d.dateOfBirth IS NULL THEN null ELSE duration.inMonths(d.dateOfBirth, date($date)).years END AS age
RETURN CASE
    WHEN age IS NULL THEN null
    WHEN age < 16 THEN 'under-16'
    WHEN age <= 18 THEN '16-18'
    WHEN age <= 23 THEN '19-23'
    ELSE '24+'
  END AS ageBand,
  COLLECT {
    MATCH (l:Learner)-[:ACHIEVED]->(a:Achievement {kind: 'unit'})
    WHERE (l.uln = $uln OR l.linkedTo = $uln) AND ($aoUkprn IS NULL OR a.aoUkprn = $aoUkprn)
    RETURN {id: a.key, urn: a.urn, credit: a.credit, level: a.level, awardDate: toString(a.awardDate),
            status: a.status, underChallenge: a.underChallenge}
  } AS credits
