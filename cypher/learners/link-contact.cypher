// Before a record link is made: does the learner exist, is their record available to
// others, and the contact email the link goes to when the learner names no other address.
OPTIONAL MATCH (l:Learner {uln: $uln})
OPTIONAL MATCH (l)-[:HAS_DETAILS]->(d:PersonalDetails)
RETURN l IS NOT NULL AS exists, coalesce(l.available, true) AS available, d.sealed AS sealedDetails
