// Routes to achievement: who offers each of a few units on $date (in $region only, when it
// is not null), at most $max providers per unit.
UNWIND $urns AS urn
MATCH (u:Unit {urn: urn})
RETURN urn,
  COLLECT {
    MATCH (u)<-[o:OFFERS]-(p:Provider)
    WHERE ($region IS NULL OR p.region = $region)
      AND o.from <= date($date) AND (o.to IS NULL OR o.to >= date($date))
    RETURN p {.ukprn, .name, .region} AS provider
    LIMIT $max
  } AS providers
