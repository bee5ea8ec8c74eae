// The register entries of the ULNs in a chunk of achievement rows, one step only: most
// learners are not merged, so the merge chain is followed (learners/verify-lookup) only for
// the few entries whose linkedTo is set. Learners without personal details are left out.
UNWIND $ulns AS uln
MATCH (l:Learner {uln: uln})-[:HAS_DETAILS]->(p:PersonalDetails)
RETURN l.uln AS uln, l.linkedTo AS linkedTo, p.sealed AS sealedDetails
