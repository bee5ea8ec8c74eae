// OCF 08: the challenges addressed to one awarding organisation, optionally of one status,
// oldest first, a page at a time, with the record each is about. The representative's
// name is not returned: the AO needs the relationship, not the person.
MATCH (o:Organisation {ukprn: $aoUkprn})
OPTIONAL MATCH (o)<-[:ADDRESSED_TO]-(c:Challenge)
WHERE $status IS NULL OR c.status = $status
WITH c ORDER BY c.filedAt, c.id
WITH collect(c) AS matching
WITH matching, matching[$offset..($offset + $limit)] AS page
RETURN size(matching) AS total,
  COLLECT {
    UNWIND page AS c
    MATCH (c)-[:ABOUT]->(a:Achievement)
    OPTIONAL MATCH (a)-[:FOR_UNIT]->(u:Unit)
    OPTIONAL MATCH (c)-[:FILED_BY_REPRESENTATIVE]->(rep:Representative)
    WITH c, a, u, rep ORDER BY c.filedAt, c.id
    RETURN {
      challenge: c {
        .id, .uln, .recordKey, .aoUkprn, .reason, .filedBy, .channel, .status, .resolvedBy,
        .resolution, .action, .changes, .serviceHours,
        filedAtMs: c.filedAt.epochMillis, resolvedAtMs: c.resolvedAt.epochMillis, notifiedAtMs: c.notifiedAt.epochMillis
      },
      record: a { .recordId, .aoUkprn, .urn, .credit, .level, .grade, .status, .underChallenge, .version, awardDate: toString(a.awardDate) },
      unitTitle: u.title,
      representative: rep { .relationship }
    }
  } AS items
