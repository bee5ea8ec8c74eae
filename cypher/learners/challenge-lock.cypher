// OCF 08: start resolving a challenge addressed to one AO. Takes the write locks on the
// challenge and its record first (so two resolutions, or a resolution and a new filing,
// cannot both act on what they read), then returns what the decision needs.
MATCH (o:Organisation {ukprn: $aoUkprn})<-[:ADDRESSED_TO]-(c:Challenge {id: $id})-[:ABOUT]->(a:Achievement)
SET c._LOCK_ = true, a._LOCK_ = true
REMOVE c._LOCK_, a._LOCK_
WITH c, a
OPTIONAL MATCH (a)-[:FOR_UNIT]->(u:Unit)
RETURN c.id AS id, c.uln AS uln, c.status AS status, c.filedAt.epochMillis AS filedAtMs,
  a.key AS recordKey, a.recordId AS recordId, a.urn AS urn,
  a { .status, .credit, .level, .grade, awardDate: toString(a.awardDate) } AS record,
  u { .credit, .level } AS unit
