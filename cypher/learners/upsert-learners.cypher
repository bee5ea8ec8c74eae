// Add or update learners in the register: the Learner node holds only the ULN, the
// availability flag and any link to a master record; personal details hang off it.
UNWIND $rows AS row
MERGE (l:Learner {uln: row.uln})
ON CREATE SET l.available = coalesce(row.available, true), l.registeredAt = datetime()
SET l.linkedTo = row.linkedTo
MERGE (l)-[:HAS_DETAILS]->(p:PersonalDetails {uln: row.uln})
SET p.givenName = row.givenName,
    p.familyName = row.familyName,
    p.previousFamilyName = row.previousFamilyName,
    p.dateOfBirth = date(row.dateOfBirth),
    p.gender = row.gender,
    p.postcode = row.postcode,
    p.email = row.email
RETURN count(l) AS learners
