// Registering one learner, first step, inside the registration's transaction: MERGE the
// Learner (a new ULN gets a bare node, which the upsert then completes) and take its write
// lock by setting and removing a marker, so that two registrations of the same ULN run one
// after the other and the second sees the first's details. Returns what the register holds.
MERGE (l:Learner {uln: $uln})
ON CREATE SET l.available = $available, l.registeredAt = datetime()
SET l.registrationLock = true
REMOVE l.registrationLock
WITH l
OPTIONAL MATCH (l)-[:HAS_DETAILS]->(p:PersonalDetails)
RETURN l.uln AS uln,
       l.linkedTo AS linkedTo,
       coalesce(l.available, true) AS available,
       p.sealed AS sealedDetails
