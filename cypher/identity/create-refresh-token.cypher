// A new refresh token (only its hash) for a user, starting or continuing a family.
MATCH (u:User {id: $userId})
CREATE (u)-[:HAS_REFRESH_TOKEN]->(t:RefreshToken {
  id: $id, hash: $hash, userId: $userId, familyId: $familyId,
  createdAt: datetime($now), expiresAt: datetime($expiresAt)
})
RETURN t.id AS id
