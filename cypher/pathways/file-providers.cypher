// Pathway data file: providers that are new or changed replace what the graph held for
// them: their offers become exactly the file's (units, each with its dates, delivery
// modes and start dates), their name, region and postcode district the file's.
UNWIND $rows AS row
MERGE (p:Organisation {ukprn: row.ukprn})
SET p:Provider, p.name = row.name, p.region = row.region, p.postcodeDistrict = row.postcodeDistrict,
  p.pathwayHash = row.hash
WITH p, row
CALL (p) {
  MATCH (p)-[old:OFFERS]->(:Unit)
  DELETE old
}
CALL (p, row) {
  UNWIND row.offers AS offer
  MATCH (u:Unit {urn: offer.urn})
  CREATE (p)-[o:OFFERS]->(u)
  SET o.from = date(offer.from), o.to = date(offer.to), o.deliveryModes = offer.deliveryModes,
    o.startDates = [d IN offer.startDates | date(d)]
  RETURN count(o) AS offers
}
RETURN sum(offers) AS offers
