// After migrations: wait until every index is online before serving.
CALL db.awaitIndexes(300)
