// The stored content hash of each qualification of a batch that is already in the graph.
UNWIND $qans AS qan
MATCH (q:Qualification {qan: qan})
RETURN q.qan AS qan, q.contentHash AS hash
