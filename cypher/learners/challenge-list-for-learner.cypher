// OCF 08: the challenges filed for a learner, newest first, with the record each is about
// and, when a representative wrote, who they are (the learner may see that).
MATCH (l:Learner {uln: $uln})<-[:CONCERNS]-(c:Challenge)-[:ABOUT]->(a:Achievement)
OPTIONAL MATCH (a)-[:FOR_UNIT]->(u:Unit)
OPTIONAL MATCH (c)-[:FILED_BY_REPRESENTATIVE]->(rep:Representative)
RETURN c {
    .id, .uln, .recordKey, .aoUkprn, .reason, .filedBy, .channel, .status, .resolvedBy,
    .resolution, .action, .changes, .serviceHours,
    filedAtMs: c.filedAt.epochMillis, resolvedAtMs: c.resolvedAt.epochMillis, notifiedAtMs: c.notifiedAt.epochMillis
  } AS challenge,
  a { .recordId, .aoUkprn, .urn, .credit, .level, .grade, .status, .underChallenge, .version, awardDate: toString(a.awardDate) } AS record,
  u.title AS unitTitle,
  rep { .name, .relationship } AS representative
ORDER BY c.filedAt DESC, c.id
