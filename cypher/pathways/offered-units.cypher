// Routes to achievement: for each qualification of a list, the units of its groups that a
// provider offers on $date (in $region only, when it is not null), with who offers them.
UNWIND $qans AS qan
MATCH (q:Qualification {qan: qan})
RETURN qan,
  COLLECT {
    MATCH (q)-[:HAS_GROUP]->(:RuleGroup)-[:INCLUDES]->(u:Unit)<-[o:OFFERS]-(p:Provider)
    WHERE ($region IS NULL OR p.region = $region)
      AND o.from <= date($date) AND (o.to IS NULL OR o.to >= date($date))
    WITH u, collect(DISTINCT p {.ukprn, .name, .region}) AS providers
    RETURN {urn: u.urn, providers: providers}
  } AS offered
