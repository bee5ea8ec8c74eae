// The access log: someone other than the learner read, or tried to read, their record
// (SPEC 6); outcome is 'allowed' or 'refused'.
MATCH (l:Learner {uln: $uln})
CREATE (e:AccessEvent {at: datetime(), subject: $subject, organisation: $organisation, roles: $roles, what: $what, outcome: $outcome})-[:OF]->(l)
RETURN count(e) AS recorded
