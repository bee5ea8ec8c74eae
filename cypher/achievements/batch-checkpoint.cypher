// Last statement of a chunk's transaction: the chunk's rejected rows and the new
// checkpoint (pass, chunks done, cumulative counts) commit with the chunk's records.
MATCH (b:Batch {id: $id})
SET b.pass = $pass, b.chunk = $chunk, b.processed = $processed,
    b.accepted = $accepted, b.rejected = $rejected, b.unchanged = $unchanged,
    b.late = $late, b.problems = $problems, b.progressAt = datetime()
FOREACH (p IN $rejections |
  CREATE (:BatchRejection {batchId: $id, n: p.n, row: p.row, recordId: p.recordId,
                           field: p.field, code: p.code, message: p.message}))
RETURN b.chunk AS chunk
