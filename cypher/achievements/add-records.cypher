// OCF 01: new achievement records of one AO (unit credits and qualification awards), already
// validated: the learner is registered, the unit or qualification exists and no record has
// the key yet (the unique constraint on key refuses a duplicate). One Achievement per row,
// keyed by the AO's UKPRN and its own record id, linked to the learner, the AO and the unit
// or qualification. CREATE, not MERGE: nothing to look for, which keeps large chunks fast.
MERGE (o:Organisation {ukprn: $aoUkprn})
WITH o
UNWIND $rows AS row
MATCH (l:Learner {uln: row.uln})
OPTIONAL MATCH (u:Unit {urn: row.urn})
OPTIONAL MATCH (q:Qualification {qan: row.qan})
CREATE (a:Achievement {
  key: row.key,
  recordId: row.recordId,
  aoUkprn: $aoUkprn,
  uln: row.uln,
  kind: row.kind,
  urn: row.urn,
  qan: row.qan,
  credit: row.credit,
  level: row.level,
  awardDate: date(row.awardDate),
  grade: row.grade,
  providerUkprn: row.providerUkprn,
  language: row.language,
  status: row.status,
  underChallenge: false,
  late: row.late,
  version: 1,
  action: 'ADD',
  submittedAt: datetime(row.at),
  submittedBy: row.by,
  changedAt: datetime(row.at),
  changedBy: row.by,
  batchId: row.batchId,
  batchRow: row.batchRow
})
CREATE (l)-[:ACHIEVED]->(a)
CREATE (o)-[:AWARDED]->(a)
FOREACH (x IN CASE WHEN u IS NULL THEN [] ELSE [u] END | CREATE (a)-[:FOR_UNIT]->(x))
FOREACH (x IN CASE WHEN q IS NULL THEN [] ELSE [q] END | CREATE (a)-[:FOR_QUALIFICATION]->(x))
RETURN count(a) AS recorded
