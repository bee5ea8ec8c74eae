// OCF 02: AMEND and WITHDRAW. Nothing is destroyed: the record's current values move to a
// new AchievementVersion at the head of its PREVIOUS_VERSION chain (newest first, the same
// shape an upheld data challenge makes), then the record takes the new values and the
// next version number. A withdrawal carries the record's own values with status withdrawn.
UNWIND $rows AS row
MATCH (a:Achievement {key: row.key})
OPTIONAL MATCH (a)-[older:PREVIOUS_VERSION]->(prior:AchievementVersion)
CREATE (v:AchievementVersion {
  key: a.key,
  version: coalesce(a.version, 1),
  action: coalesce(a.action, 'ADD'),
  credit: a.credit,
  level: a.level,
  grade: a.grade,
  awardDate: a.awardDate,
  providerUkprn: a.providerUkprn,
  language: a.language,
  status: a.status,
  late: a.late,
  submittedAt: a.submittedAt,
  changedAt: coalesce(a.changedAt, a.amendedAt, a.submittedAt),
  changedBy: coalesce(a.changedBy, a.submittedBy),
  batchId: a.batchId,
  supersededAt: datetime(row.at),
  supersededBy: row.by
})
CREATE (a)-[:PREVIOUS_VERSION]->(v)
FOREACH (p IN CASE WHEN prior IS NULL THEN [] ELSE [prior] END | CREATE (v)-[:PREVIOUS_VERSION]->(p))
DELETE older
SET a.version = coalesce(a.version, 1) + 1,
    a.action = row.action,
    a.status = row.status,
    a.credit = row.credit,
    a.level = row.level,
    a.awardDate = date(row.awardDate),
    a.grade = row.grade,
    a.providerUkprn = row.providerUkprn,
    a.language = row.language,
    a.amendedAt = datetime(row.at),
    a.changedAt = datetime(row.at),
    a.changedBy = row.by,
    a.batchId = row.batchId,
    a.batchRow = row.batchRow
RETURN count(a) AS changed
