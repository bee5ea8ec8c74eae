// Routes to achievement: what a page of routes shows besides the routes themselves, in one
// read: for each unit to take, who offers it on $date (in $region only, when it is not
// null; at most $max providers, by UKPRN); for each qualification, its occupations.
CALL () {
  UNWIND $urns AS urn
  MATCH (u:Unit {urn: urn})
  RETURN collect({
    urn: urn,
    providers: COLLECT {
      MATCH (u)<-[o:OFFERS]-(p:Provider)
      WHERE ($region IS NULL OR p.region = $region)
        AND o.from <= date($date) AND (o.to IS NULL OR o.to >= date($date))
      RETURN p {.ukprn, .name, .region} AS provider
      ORDER BY p.ukprn
      LIMIT $max
    }
  }) AS units
}
CALL () {
  UNWIND $qans AS qan
  MATCH (q:Qualification {qan: qan})
  RETURN collect({qan: qan, occupations: COLLECT { MATCH (q)-[:LEADS_TO]->(o:Occupation) RETURN o.code ORDER BY o.code }}) AS qualifications
}
RETURN units, qualifications
