// The access log of a learner (and of the ULNs merged into theirs): one page, newest
// first, with the total and the name of each reader's organisation.
MATCH (l:Learner)
WHERE l.uln = $uln OR l.linkedTo = $uln
MATCH (e:AccessEvent)-[:OF]->(l)
OPTIONAL MATCH (o:Organisation {ukprn: e.organisation})
WITH e, l.uln AS uln, o.name AS organisationName
ORDER BY e.at DESC, elementId(e) DESC
WITH collect(e {
  .subject, .organisation, .roles, .what, .outcome,
  at: toString(e.at), uln: uln, organisationName: organisationName
}) AS events
RETURN size(events) AS total, events[$offset..($offset + $limit)] AS items
