// Create or update qualifications (properties, content hash and owning organisation) from a batch.
UNWIND $rows AS row
MERGE (q:Qualification {qan: row.qan})
SET q.title = row.title,
    q.level = row.level,
    q.levelRank = row.levelRank,
    q.totalCredits = row.totalCredits,
    q.size = row.size,
    q.operationalStart = date(row.operationalStart),
    q.operationalEnd = date(row.operationalEnd),
    q.validityYears = row.validityYears,
    q.minLevel = row.minLevel,
    q.minLevelRank = row.minLevelRank,
    q.minLevelCredits = row.minLevelCredits,
    q.contentHash = row.hash
MERGE (o:Organisation {ukprn: row.aoUkprn})
MERGE (o)-[:OWNS]->(q)
RETURN count(q) AS written
