// A batch's rejected rows are read back in file order for its report (cursor on n).
CREATE INDEX batch_rejection_batch IF NOT EXISTS FOR (r:BatchRejection) ON (r.batchId, r.n)
