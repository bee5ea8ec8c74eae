// OCF 08, interim until the upload issue brings versioned amendments: an upheld challenge
// keeps the record's current values on an AchievementVersion (newest first along
// PREVIOUS_VERSION, so nothing is destroyed), then withdraws or amends the record.
MATCH (a:Achievement {key: $key})
OPTIONAL MATCH (a)-[older:PREVIOUS_VERSION]->(prior:AchievementVersion)
CREATE (v:AchievementVersion {
  key: a.key,
  version: coalesce(a.version, 1),
  credit: a.credit,
  level: a.level,
  grade: a.grade,
  awardDate: a.awardDate,
  status: a.status,
  submittedAt: a.submittedAt,
  supersededAt: datetime($at),
  supersededBy: $by,
  challengeId: $challengeId
})
CREATE (a)-[:PREVIOUS_VERSION]->(v)
FOREACH (p IN CASE WHEN prior IS NULL THEN [] ELSE [prior] END | CREATE (v)-[:PREVIOUS_VERSION]->(p))
DELETE older
SET a.version = coalesce(a.version, 1) + 1,
    a.status = CASE WHEN $withdraw THEN 'withdrawn' ELSE a.status END,
    a.credit = coalesce($credit, a.credit),
    a.level = coalesce($level, a.level),
    a.grade = coalesce($grade, a.grade),
    a.awardDate = CASE WHEN $awardDate IS NULL THEN a.awardDate ELSE date($awardDate) END,
    a.amendedAt = datetime($at)
RETURN a.version AS version
