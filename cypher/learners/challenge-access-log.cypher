// The access log (SPEC 6) for an awarding organisation working on data challenges: one
// AccessEvent per learner whose challenged record it saw or resolved.
UNWIND $rows AS row
MATCH (l:Learner {uln: row.uln})
CREATE (e:AccessEvent {at: datetime(), subject: row.subject, organisation: row.organisation, roles: row.roles, what: row.what})-[:OF]->(l)
RETURN count(e) AS recorded
