// Routes to achievement: providers (organisations that teach) with their region, and the
// units each offers with the dates of the offer. MERGEd, so loading the same rows again
// changes nothing; an offer's dates are replaced by the latest rows.
UNWIND $rows AS row
MERGE (p:Organisation {ukprn: row.ukprn})
SET p:Provider, p.name = row.name, p.region = row.region
WITH p, row
UNWIND row.offers AS offer
MATCH (u:Unit {urn: offer.urn})
MERGE (p)-[o:OFFERS]->(u)
SET o.from = date(offer.from), o.to = date(offer.to)
RETURN count(o) AS offers
