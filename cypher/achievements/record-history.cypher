// OCF 02: one record's current version and every earlier version, newest first, along the
// PREVIOUS_VERSION chain (bounded at 1000 versions).
MATCH (a:Achievement {key: $key})
RETURN a {
    .recordId, .aoUkprn, .uln, .kind, .urn, .qan, .credit, .level, .grade, .providerUkprn, .language,
    .status, .late, .batchId, .action, .underChallenge, .submittedBy, .changedBy,
    version: coalesce(a.version, 1),
    awardDate: toString(a.awardDate),
    submittedAt: toString(a.submittedAt),
    changedAt: toString(coalesce(a.changedAt, a.amendedAt, a.submittedAt))
  } AS current,
  COLLECT {
    MATCH (a)-[:PREVIOUS_VERSION*1..1000]->(v:AchievementVersion)
    RETURN v {
      .version, .action, .credit, .level, .grade, .providerUkprn, .language, .status, .late, .batchId,
      .changedBy, .supersededBy, .challengeId,
      awardDate: toString(v.awardDate),
      changedAt: toString(coalesce(v.changedAt, v.submittedAt)),
      supersededAt: toString(v.supersededAt)
    } AS version
    ORDER BY version.version DESC
  } AS versions
