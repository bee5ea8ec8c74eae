// OCF 08: file a data challenge about one active achievement record: the Challenge is
// ABOUT the record, CONCERNS the learner it was filed for and is ADDRESSED_TO the AO that
// awarded the record; the record is flagged underChallenge. A representative's name and
// relationship go on a node of their own (personal data, kept apart like PersonalDetails).
// No row comes back when the record is no longer active or not the learner's.
MATCH (a:Achievement {key: $key})<-[:ACHIEVED]-(holder:Learner)
WHERE (holder.uln = $uln OR holder.linkedTo = $uln) AND a.status = 'active'
MATCH (l:Learner {uln: $uln})
MATCH (o:Organisation)-[:AWARDED]->(a)
WITH a, l, o LIMIT 1
CREATE (c:Challenge {
  id: $id,
  uln: $uln,
  recordKey: a.key,
  aoUkprn: a.aoUkprn,
  reason: $reason,
  filedAt: datetime($filedAt),
  filedBy: $filedBy,
  channel: $channel,
  status: 'open'
})
CREATE (c)-[:ABOUT]->(a)
CREATE (c)-[:CONCERNS]->(l)
CREATE (c)-[:ADDRESSED_TO]->(o)
SET a.underChallenge = true
FOREACH (rep IN CASE WHEN $representative IS NULL THEN [] ELSE [$representative] END |
  CREATE (c)-[:FILED_BY_REPRESENTATIVE]->(:Representative {challengeId: $id, name: rep.name, relationship: rep.relationship})
)
RETURN c.id AS id
