// First statement of a chunk's transaction: lock the batch and read its checkpoint and the
// run that owns it, so two runs of one batch can never both commit the same chunk.
MATCH (b:Batch {id: $id})
SET b.checkpointAt = datetime()
RETURN b.status AS status, b.runId AS runId, b.pass AS pass, b.chunk AS chunk, b.processed AS processed,
       b.accepted AS accepted, b.rejected AS rejected, b.unchanged AS unchanged,
       b.late AS late, b.problems AS problems
