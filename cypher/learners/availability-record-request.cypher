// OCF 07: store one availability request and set the learner's flag in the same
// statement. A ULN merged into another (linkedTo) stands for its master: the request is
// kept on the master, and the flag changes on the master and every record merged into it.
MATCH (given:Learner {uln: $uln})
OPTIONAL MATCH (master:Learner {uln: given.linkedTo})
WITH coalesce(master, given) AS m
WITH m, coalesce(m.available, true) AS before
CREATE (r:AvailabilityRequest {
  id: $id,
  uln: m.uln,
  requestedUln: $uln,
  available: $available,
  previous: before,
  channel: $channel,
  requestedAt: datetime($requestedAt),
  handledAt: datetime($handledAt),
  handledBy: $handledBy,
  note: $note,
  serviceHours: $serviceHours
})-[:FOR]->(m)
SET m.available = $available
WITH m, r
CALL (m) {
  OPTIONAL MATCH (merged:Learner {linkedTo: m.uln})
  SET merged.available = $available
  RETURN count(merged) AS mergedRecords
}
RETURN m.uln AS uln, m.available AS available, mergedRecords,
  r {
    .id, .available, .previous, .channel, .handledBy, .note, .serviceHours,
    requestedAtMs: r.requestedAt.epochMillis, handledAtMs: r.handledAt.epochMillis
  } AS request
