// The current version of records by key (one AO's UKPRN and its record ids), for deciding
// what ADD, AMEND and WITHDRAW rows do. Keys with no record are left out.
UNWIND $keys AS key
MATCH (a:Achievement {key: key})
RETURN a.recordId AS recordId, a.uln AS uln, a.kind AS kind, a.urn AS urn, a.qan AS qan,
       a.credit AS credit, a.level AS level, toString(a.awardDate) AS awardDate, a.grade AS grade,
       a.providerUkprn AS providerUkprn, a.language AS language, a.status AS status,
       coalesce(a.version, 1) AS version, coalesce(a.late, false) AS late,
       a.batchId AS batchId, a.batchRow AS batchRow
