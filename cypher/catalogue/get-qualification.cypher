// One qualification (and its owning AO's name, when known) with its whole rule of combination (groups and their units, barred
// sets, scoped equivalences, exemptions), the units these name, the global equivalences
// that lead into its groups (chains of at most 8 steps, mixed with its own), and, when
// $uln is given, that learner's unit credits (optionally one AO's records only): all the
// RoC evaluator needs, in one round trip. Lists carry their stored positions; the reader
// puts them in order.
MATCH (q:Qualification {qan: $qan})
RETURN q {
    .qan, .title, .level, .totalCredits, .operationalStart, .operationalEnd,
    .validityYears, .minLevel, .minLevelCredits
  } AS qualification,
  COLLECT { MATCH (o:Organisation)-[:OWNS]->(q) RETURN o.ukprn } AS owners,
  head(COLLECT { MATCH (o:Organisation)-[:OWNS]->(q) RETURN o.name }) AS aoName,
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
  } AS globalEquivalences,
  COLLECT {
    MATCH (l:Learner)
    WHERE $uln IS NOT NULL AND (l.uln = $uln OR l.linkedTo = $uln)
    MATCH (l)-[:ACHIEVED]->(a:Achievement {kind: 'unit'})
    WHERE $aoUkprn IS NULL OR a.aoUkprn = $aoUkprn
    RETURN {id: a.key, urn: a.urn, credit: a.credit, level: a.level, awardDate: toString(a.awardDate),
            status: a.status, underChallenge: a.underChallenge}
  } AS credits
