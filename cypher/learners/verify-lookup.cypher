// OCF 11: the register entries needed to verify a list of ULNs, in one round trip. For
// each ULN that is a Learner: its own entry, then the entry of the ULN in its linkedTo,
// and so on along the merge chain, up to 9 entries (the submitted one and the 8 links
// verification follows, MAX_LINK_DEPTH in src/learners/verify.ts). linkedTo is a property,
// so the chain is followed step by step; each step is one index seek on Learner.uln.
// A Learner without personal details is returned with details null (not on the register).
UNWIND $ulns AS uln
MATCH (l0:Learner {uln: uln})
OPTIONAL MATCH (l1:Learner {uln: trim(l0.linkedTo)})
OPTIONAL MATCH (l2:Learner {uln: trim(l1.linkedTo)})
OPTIONAL MATCH (l3:Learner {uln: trim(l2.linkedTo)})
OPTIONAL MATCH (l4:Learner {uln: trim(l3.linkedTo)})
OPTIONAL MATCH (l5:Learner {uln: trim(l4.linkedTo)})
OPTIONAL MATCH (l6:Learner {uln: trim(l5.linkedTo)})
OPTIONAL MATCH (l7:Learner {uln: trim(l6.linkedTo)})
OPTIONAL MATCH (l8:Learner {uln: trim(l7.linkedTo)})
WITH uln, [x IN [l0, l1, l2, l3, l4, l5, l6, l7, l8] WHERE x IS NOT NULL] AS chain
RETURN uln,
       [x IN chain | {
         uln: x.uln,
         linkedTo: x.linkedTo,
         sealedDetails: head([(x)-[:HAS_DETAILS]->(p:PersonalDetails) | p.sealed])
       }] AS chain
