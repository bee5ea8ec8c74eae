// The learner register's entries for a list of ULNs (a ULN with no Learner gives no row):
// the link to a master, the availability flag and, when the learner was registered, the
// personal details. The register load and the single registration compare against this
// to tell new, changed and identical learners apart, and to check merge links.
UNWIND $ulns AS uln
MATCH (l:Learner {uln: uln})
OPTIONAL MATCH (l)-[:HAS_DETAILS]->(p:PersonalDetails)
RETURN l.uln AS uln,
       l.linkedTo AS linkedTo,
       coalesce(l.available, true) AS available,
       p.sealed AS sealedDetails
