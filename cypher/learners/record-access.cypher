// The access log: someone other than the learner read their record (SPEC 6).
MATCH (l:Learner {uln: $uln})
CREATE (e:AccessEvent {at: datetime(), subject: $subject, organisation: $organisation, roles: $roles, what: $what})-[:OF]->(l)
RETURN count(e) AS recorded
