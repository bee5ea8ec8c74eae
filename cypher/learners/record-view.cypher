// OCF 03: a learner's record in one read. Every achievement of the ULN and of the ULNs
// merged into it (only one AO's when $aoUkprn is given), with its unit or qualification
// and awarding organisation; for each unit credit, the qualifications its unit counts
// towards, directly or through at most 8 equivalence steps that are global or scoped to
// that qualification. Names are read only when $withNames is true.
OPTIONAL MATCH (m:Learner {uln: $uln})-[:HAS_DETAILS]->(d:PersonalDetails)
WHERE $withNames
RETURN d.sealed AS sealedDetails,
  COLLECT {
    MATCH (l:Learner)-[:ACHIEVED]->(a:Achievement)
    WHERE (l.uln = $uln OR l.linkedTo = $uln) AND ($aoUkprn IS NULL OR a.aoUkprn = $aoUkprn)
    OPTIONAL MATCH (o:Organisation)-[:AWARDED]->(a)
    OPTIONAL MATCH (a)-[:FOR_UNIT]->(u:Unit)
    OPTIONAL MATCH (q:Qualification {qan: a.qan})
    WITH l, a, o, u, q, COLLECT {
      MATCH walk = (u)-[:COUNTS_AS*0..8]->(v:Unit)<-[:INCLUDES]-(g:RuleGroup)<-[:HAS_GROUP]-(t:Qualification)
      WHERE all(r IN relationships(walk) WHERE r.qan IS NULL OR r.qan = t.qan)
      WITH t, v, collect(DISTINCT g.id) AS groups
      RETURN {qan: t.qan, title: t.title, level: t.level, totalCredits: t.totalCredits, countsAs: v.urn, groups: groups}
    } AS countsTowards
    RETURN a {
      .recordId, .aoUkprn, .kind, .urn, .qan, .credit, .level, .grade, .status, .underChallenge,
      uln: l.uln,
      awardDate: toString(a.awardDate),
      aoName: o.name,
      title: coalesce(u.title, q.title),
      countsTowards: countsTowards
    }
  } AS achievements
