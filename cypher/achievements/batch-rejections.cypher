// A page of a batch's rejected rows in file order, after cursor $after.
MATCH (r:BatchRejection {batchId: $id})
WHERE r.n > $after
WITH r ORDER BY r.n
LIMIT $limit
RETURN r.n AS n, r.row AS row, r.recordId AS recordId, r.field AS field, r.code AS code, r.message AS message
