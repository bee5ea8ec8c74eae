// Routes to achievement: for each qualification of a list, the units of its groups that a
// provider offers on $date (in $region only, when it is not null).
UNWIND $qans AS qan
MATCH (q:Qualification {qan: qan})
RETURN qan,
  COLLECT {
    MATCH (q)-[:HAS_GROUP]->(:RuleGroup)-[:INCLUDES]->(u:Unit)
    WHERE EXISTS {
      MATCH (u)<-[o:OFFERS]-(p:Provider)
      WHERE ($region IS NULL OR p.region = $region)
        AND o.from <= date($date) AND (o.to IS NULL OR o.to >= date($date))
    }
    RETURN DISTINCT u.urn
  } AS offered
