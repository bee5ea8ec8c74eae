// Routes to achievement: one batch of candidates in one read. `rules`: the whole rule of
// combination of each qualification of $qans (the shape of catalogue/get-qualification,
// without a learner): groups and their units, barred sets, scoped equivalences, exemptions,
// the units these name, and the global equivalences on chains of at most 8 steps that lead
// into their groups. `offered`: for each qualification of $offerQans, the units of its
// groups that a provider offers on $date in $region.
CALL () {
  UNWIND $qans AS qan
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
CALL () {
  UNWIND $offerQans AS qan
  MATCH (q:Qualification {qan: qan})
  RETURN collect({
    qan: qan,
    urns: COLLECT {
      MATCH (q)-[:HAS_GROUP]->(:RuleGroup)-[:INCLUDES]->(u:Unit)
      WHERE EXISTS {
        MATCH (u)<-[o:OFFERS]-(p:Provider)
        WHERE p.region = $region AND o.from <= date($date) AND (o.to IS NULL OR o.to >= date($date))
      }
      RETURN DISTINCT u.urn
    }
  }) AS offered
}
RETURN rules, offered
