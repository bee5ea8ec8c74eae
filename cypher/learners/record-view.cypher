// OCF 03: a learner's record in one read. Every achievement of the ULN and of the ULNs
// merged into it (only one AO's when $aoUkprn is given), with its unit or qualification
// and awarding organisation; for each unit credit, the qualifications its unit counts
// towards, directly or through at most 8 equivalence steps that are global or scoped to
// that qualification. `rules`: the whole rule of combination (the shape of
// catalogue/get-qualification, without a learner) of every qualification a unit credit
// that is not withdrawn counts towards, or that an award on the record names, so that the
// record's rules verdicts need no second read. Names are read only when $withNames is true.
OPTIONAL MATCH (m:Learner {uln: $uln})-[:HAS_DETAILS]->(d:PersonalDetails)
WHERE $withNames
WITH d.sealed AS sealedDetails,
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
      .key, .recordId, .aoUkprn, .kind, .urn, .qan, .credit, .level, .grade, .status, .underChallenge,
      uln: l.uln,
      awardDate: toString(a.awardDate),
      aoName: o.name,
      title: coalesce(u.title, q.title),
      countsTowards: countsTowards
    }
  } AS achievements
CALL (achievements) {
  UNWIND achievements AS a
  UNWIND CASE
      WHEN a.kind = 'qualification' AND a.qan IS NOT NULL THEN [a.qan]
      WHEN a.status <> 'withdrawn' OR a.status IS NULL THEN [c IN a.countsTowards | c.qan]
      ELSE []
    END AS qan
  WITH DISTINCT qan
  MATCH (q:Qualification {qan: qan})
  WITH q, q {
      .qan, .title, .level, .totalCredits, .operationalStart, .operationalEnd,
      .validityYears, .minLevel, .minLevelCredits
    } AS qualification,
    COLLECT { MATCH (o:Organisation)-[:OWNS]->(q) RETURN o.ukprn } AS owners,
    COLLECT {
      MATCH (q)-[:HAS_GROUP]->(g:RuleGroup)
      RETURN g {
        .id, .title, .mandatory, .minCredits, .maxCredits, .minUnits, .maxUnits, .position,
        units: COLLECT { MATCH (g)-[i:INCLUDES]->(u:Unit) RETURN {urn: u.urn, position: i.position} }
      }
    } AS groups,
    COLLECT {
      MATCH (q)-[:HAS_BARRED]->(b:BarredSet)
      RETURN {
        position: b.position,
        units: COLLECT { MATCH (b)-[x:BARS]->(u:Unit) RETURN {urn: u.urn, position: x.position} }
      }
    } AS barred,
    COLLECT {
      MATCH (a:Unit)-[r:COUNTS_AS {qan: q.qan}]->(b:Unit)
      RETURN {from: a.urn, to: b.urn, position: r.position}
    } AS equivalences,
    COLLECT {
      MATCH (q)-[:HAS_GROUP]->(g:RuleGroup)<-[:IN_GROUP]-(e:Exemption)
      RETURN {name: e.name, group: g.id, credits: e.credits, position: e.position}
    } AS exemptions,
    COLLECT {
      MATCH (q)-[:HAS_GROUP|HAS_BARRED]->()-[:INCLUDES|BARS]->(u:Unit)
      RETURN u {.urn, .title, .level, .credit}
      UNION
      MATCH (u:Unit)-[:COUNTS_AS {qan: q.qan}]-(:Unit)
      RETURN u {.urn, .title, .level, .credit}
    } AS units,
    COLLECT {
      MATCH (q)-[:HAS_GROUP]->(:RuleGroup)-[:INCLUDES]->(target:Unit)
      MATCH p = (:Unit)-[:COUNTS_AS*1..8]->(target)
      WHERE all(r IN relationships(p) WHERE r.qan IS NULL OR r.qan = q.qan)
      UNWIND relationships(p) AS r
      WITH DISTINCT r
      WHERE r.qan IS NULL
      WITH startNode(r) AS a, endNode(r) AS b
      RETURN {from: a.urn, to: b.urn, fromUnit: a {.urn, .title, .level, .credit}}
    } AS globalEquivalences
  RETURN collect({
    qualification: qualification, owners: owners, groups: groups, barred: barred, equivalences: equivalences,
    exemptions: exemptions, units: units, globalEquivalences: globalEquivalences
  }) AS rules
}
RETURN sealedDetails, achievements, rules
