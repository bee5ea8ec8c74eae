// Record a received batch (OCF 01). With a client's idempotency key the id is fixed, so a
// resubmission finds the batch already there: `created` is false and nothing changes.
MERGE (b:Batch {id: $id})
ON CREATE SET b += $props,
              b.status = 'received', b.receivedAt = datetime($receivedAt),
              b.pass = 'units', b.chunk = 0, b.processed = 0,
              b.accepted = 0, b.rejected = 0, b.unchanged = 0, b.late = 0, b.problems = 0,
              b.created = true
WITH b, coalesce(b.created, false) AS created
REMOVE b.created
WITH b, created
MERGE (o:Organisation {ukprn: b.aoUkprn})
MERGE (o)-[:SUBMITTED]->(b)
RETURN created, b.sha256 AS sha256, b.aoUkprn AS aoUkprn
