// OCF 01: new achievement records (unit credits and qualification awards), one row each,
// keyed by the submitting AO's UKPRN and its own record id, linked to the learner, the
// awarding organisation and the unit or qualification. A row naming neither a known unit
// nor a known qualification is skipped. Version 1; submittedAt and submittedBy keep the
// first submission when the record is written again (the demo seed re-runs this).
UNWIND $rows AS row
OPTIONAL MATCH (u:Unit {urn: row.urn})
OPTIONAL MATCH (q:Qualification {qan: row.qan})
WITH row, u, q
WHERE u IS NOT NULL OR q IS NOT NULL
MERGE (l:Learner {uln: row.uln})
ON CREATE SET l.available = true, l.registeredAt = datetime()
MERGE (o:Organisation {ukprn: row.aoUkprn})
MERGE (a:Achievement {key: row.key})
SET a.recordId = row.recordId,
    a.aoUkprn = row.aoUkprn,
    a.uln = row.uln,
    a.kind = row.kind,
    a.urn = row.urn,
    a.qan = row.qan,
    a.credit = row.credit,
    a.level = row.level,
    a.awardDate = date(row.awardDate),
    a.grade = row.grade,
    a.providerUkprn = row.providerUkprn,
    a.language = row.language,
    a.status = row.status,
    a.underChallenge = coalesce(row.underChallenge, a.underChallenge, false),
    a.late = row.late,
    a.version = coalesce(a.version, 1),
    a.action = 'ADD',
    a.submittedAt = coalesce(a.submittedAt, datetime(row.at)),
    a.submittedBy = coalesce(a.submittedBy, row.by),
    a.changedAt = datetime(row.at),
    a.changedBy = row.by,
    a.batchId = row.batchId,
    a.batchRow = row.batchRow
MERGE (l)-[:ACHIEVED]->(a)
MERGE (o)-[:AWARDED]->(a)
FOREACH (x IN CASE WHEN u IS NULL THEN [] ELSE [u] END | MERGE (a)-[:FOR_UNIT]->(x))
FOREACH (x IN CASE WHEN q IS NULL THEN [] ELSE [q] END | MERGE (a)-[:FOR_QUALIFICATION]->(x))
RETURN count(a) AS recorded
