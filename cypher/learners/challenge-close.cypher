// OCF 08: record a challenge's outcome and clear the record's underChallenge flag unless
// another challenge about the same record is still open.
MATCH (c:Challenge {id: $id})-[:ABOUT]->(a:Achievement)
SET c.status = $outcome,
    c.resolvedAt = datetime($resolvedAt),
    c.resolvedBy = $resolvedBy,
    c.resolution = $reason,
    c.action = $action,
    c.changes = $changes,
    c.serviceHours = $serviceHours
WITH c, a
SET a.underChallenge = EXISTS { MATCH (a)<-[:ABOUT]-(other:Challenge {status: 'open'}) }
RETURN c.id AS id, a.underChallenge AS underChallenge
