// Invite a user into an organisation: no password yet, only the hash of a set-password
// token with its expiry. No row when the organisation does not exist.
MATCH (o:Organisation {ukprn: $ukprn})
CREATE (u:User {
  id: $id,
  emailIndex: $emailIndex,
  emailSealed: $emailSealed,
  roles: $roles,
  organisation: $ukprn,
  disabled: false,
  failedLogins: 0,
  createdAt: datetime($now),
  createdBy: $createdBy,
  setupTokenHash: $setupTokenHash,
  setupTokenExpiresAt: datetime($setupTokenExpiresAt)
})-[:MEMBER_OF]->(o)
RETURN u.id AS id
