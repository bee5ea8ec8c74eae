// OCF 02: one AO's records, current versions, in record id order, a page at a time,
// optionally for one learner. Every key starts with the AO's UKPRN, so the key index
// serves the AO's range in order. Callers ask for one row more than a page to learn
// whether another page follows.
MATCH (a:Achievement)
WHERE a.key STARTS WITH $aoUkprn + ':' AND ($uln IS NULL OR a.uln = $uln)
RETURN a {
    .recordId, .aoUkprn, .uln, .kind, .urn, .qan, .credit, .level, .grade, .providerUkprn, .language,
    .status, .late, .batchId, .action, .underChallenge,
    version: coalesce(a.version, 1),
    awardDate: toString(a.awardDate),
    submittedAt: toString(a.submittedAt),
    changedAt: toString(coalesce(a.changedAt, a.amendedAt, a.submittedAt))
  } AS record
ORDER BY a.key
SKIP $skip LIMIT $limit
