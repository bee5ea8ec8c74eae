// One batch with its status, counts and timestamps.
MATCH (b:Batch {id: $id})
RETURN b {.*, receivedAt: toString(b.receivedAt), startedAt: toString(b.startedAt),
          loadingAt: toString(b.loadingAt), finishedAt: toString(b.finishedAt),
          progressAt: toString(b.progressAt), recoveryAt: toString(b.recoveryAt),
          checkpointAt: null} AS batch
