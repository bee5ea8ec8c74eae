// One qualification with its whole rule of combination (groups and their units, barred sets, scoped equivalences, exemptions) and the units these name.
// Lists carry their stored positions; the reader puts them in order.
MATCH (q:Qualification {qan: $qan})
RETURN q {
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
  } AS units
