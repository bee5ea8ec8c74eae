// Unit credits written as given, without validation (tests, the demo seed, benchmarks):
// the same Achievement shape as add-records, but MERGEd so that writing again updates in
// place. Rows naming a unit the catalogue lacks are skipped; a missing learner is created.
UNWIND $rows AS row
MATCH (u:Unit {urn: row.urn})
MERGE (l:Learner {uln: row.uln})
ON CREATE SET l.available = true, l.registeredAt = datetime()
MERGE (o:Organisation {ukprn: row.aoUkprn})
MERGE (a:Achievement {key: row.key})
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
    a.late = coalesce(a.late, false),
    a.version = coalesce(a.version, 1),
    a.action = coalesce(a.action, 'ADD'),
    a.submittedAt = coalesce(a.submittedAt, datetime(row.at)),
    a.submittedBy = coalesce(a.submittedBy, row.by),
    a.changedAt = coalesce(a.changedAt, datetime(row.at)),
    a.changedBy = coalesce(a.changedBy, row.by)
MERGE (l)-[:ACHIEVED]->(a)
MERGE (a)-[:FOR_UNIT]->(u)
MERGE (o)-[:AWARDED]->(a)
RETURN count(a) AS recorded
