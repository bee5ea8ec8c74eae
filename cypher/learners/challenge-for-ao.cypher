// OCF 08: one challenge, only if it is addressed to the given awarding organisation (for
// any other AO it does not exist), with its record; no representative's name.
MATCH (o:Organisation {ukprn: $aoUkprn})<-[:ADDRESSED_TO]-(c:Challenge {id: $id})-[:ABOUT]->(a:Achievement)
OPTIONAL MATCH (a)-[:FOR_UNIT]->(u:Unit)
OPTIONAL MATCH (c)-[:FILED_BY_REPRESENTATIVE]->(rep:Representative)
RETURN c {
    .id, .uln, .recordKey, .aoUkprn, .reason, .filedBy, .channel, .status, .resolvedBy,
    .resolution, .action, .changes, .serviceHours,
    filedAtMs: c.filedAt.epochMillis, resolvedAtMs: c.resolvedAt.epochMillis, notifiedAtMs: c.notifiedAt.epochMillis
  } AS challenge,
  a { .recordId, .aoUkprn, .urn, .credit, .level, .grade, .status, .underChallenge, .version, awardDate: toString(a.awardDate) } AS record,
  u.title AS unitTitle,
  rep { .relationship } AS representative
