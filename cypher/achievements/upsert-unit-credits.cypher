// Record unit credits (interim writer until the upload issue brings versions): one
// Achievement per AO record id, linked to the learner, the unit and the awarding AO.
UNWIND $rows AS row
MATCH (u:Unit {urn: row.urn})
MERGE (l:Learner {uln: row.uln})
ON CREATE SET l.available = true, l.registeredAt = datetime()
MERGE (o:Organisation {ukprn: row.aoUkprn})
MERGE (a:Achievement {key: row.aoUkprn + ':' + row.recordId})
SET a.recordId = row.recordId,
    a.aoUkprn = row.aoUkprn,
    a.uln = row.uln,
    a.kind = 'unit',
    a.urn = row.urn,
    a.credit = row.credit,
    a.level = row.level,
    a.awardDate = date(row.awardDate),
    a.grade = row.grade,
    a.status = row.status,
    a.underChallenge = coalesce(row.underChallenge, false),
    a.version = coalesce(a.version, 1),
    a.submittedAt = coalesce(a.submittedAt, datetime())
MERGE (l)-[:ACHIEVED]->(a)
MERGE (a)-[:FOR_UNIT]->(u)
MERGE (o)-[:AWARDED]->(a)
RETURN count(a) AS recorded
