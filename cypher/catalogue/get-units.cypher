// Units by URN; URNs the catalogue does not hold are left out.
UNWIND $urns AS urn
MATCH (u:Unit {urn: urn})
RETURN u.urn AS urn, u.title AS title, u.level AS level, u.credit AS credit
