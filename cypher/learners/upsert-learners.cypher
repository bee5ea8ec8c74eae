// Add or update learners in the register: the Learner node holds only the ULN, the
// availability flag and any link to a master record; the personal details hang off it,
// sealed in one value by the repository (src/platform/personal-details.ts). A node
// written in the old shape (a property per field) loses those properties here.
UNWIND $rows AS row
MERGE (l:Learner {uln: row.uln})
ON CREATE SET l.available = coalesce(row.available, true), l.registeredAt = datetime()
SET l.linkedTo = row.linkedTo
MERGE (l)-[:HAS_DETAILS]->(p:PersonalDetails {uln: row.uln})
SET p.sealed = row.sealed
REMOVE p.givenName, p.familyName, p.previousFamilyName, p.dateOfBirth, p.gender, p.postcode, p.email
RETURN count(l) AS learners
