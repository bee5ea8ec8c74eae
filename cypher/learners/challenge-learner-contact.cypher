// OCF 08: where to tell a learner the outcome of their challenge: the contact email in
// their personal details (or, for a ULN merged into another, the master's).
MATCH (l:Learner {uln: $uln})
OPTIONAL MATCH (l)-[:HAS_DETAILS]->(p:PersonalDetails)
OPTIONAL MATCH (:Learner {uln: l.linkedTo})-[:HAS_DETAILS]->(mp:PersonalDetails)
RETURN p.sealed AS own, mp.sealed AS master
LIMIT 1
