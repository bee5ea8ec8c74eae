// OCF 07: a learner's availability flag and the requests that set it, newest first. For a
// ULN merged into another, the history is the master's (where requests are kept).
MATCH (given:Learner {uln: $uln})
OPTIONAL MATCH (master:Learner {uln: given.linkedTo})
WITH given, coalesce(master, given) AS m
RETURN given.uln AS uln,
  coalesce(given.available, true) AS available,
  CASE WHEN m = given THEN null ELSE m.uln END AS masterUln,
  COUNT { MATCH (:AvailabilityRequest)-[:FOR]->(m) } AS total,
  COLLECT {
    MATCH (r:AvailabilityRequest)-[:FOR]->(m)
    WITH r ORDER BY r.handledAt DESC, r.id
    LIMIT $limit
    RETURN r {
      .id, .available, .previous, .channel, .handledBy, .note, .serviceHours,
      requestedAtMs: r.requestedAt.epochMillis, handledAtMs: r.handledAt.epochMillis
    }
  } AS requests
