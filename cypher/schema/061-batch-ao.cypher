// An awarding organisation lists its own batches.
CREATE INDEX batch_ao IF NOT EXISTS FOR (b:Batch) ON (b.aoUkprn)
