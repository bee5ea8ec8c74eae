// Equivalences scoped to one qualification carry its QAN; reloading that qualification finds them here.
CREATE INDEX counts_as_qan IF NOT EXISTS FOR ()-[r:COUNTS_AS]-() ON (r.qan)
