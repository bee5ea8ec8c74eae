// Routes to achievement: what the route search needs about one learner, in one read: their
// unit credits (and those of ULNs merged into theirs; one AO's records only when $aoUkprn is
// given) and their sealed personal details, from which the repository takes the funding
// age band on a date (only the band leaves the repository).
OPTIONAL MATCH (m:Learner {uln: $uln})-[:HAS_DETAILS]->(d:PersonalDetails)
RETURN d.sealed AS sealedDetails,
  COLLECT {
    MATCH (l:Learner)-[:ACHIEVED]->(a:Achievement {kind: 'unit'})
    WHERE (l.uln = $uln OR l.linkedTo = $uln) AND ($aoUkprn IS NULL OR a.aoUkprn = $aoUkprn)
    RETURN {id: a.key, urn: a.urn, credit: a.credit, level: a.level, awardDate: toString(a.awardDate),
            status: a.status, underChallenge: a.underChallenge}
  } AS credits
