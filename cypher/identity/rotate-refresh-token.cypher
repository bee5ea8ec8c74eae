// Use up a refresh token: mark it rotated and create its successor in the same family.
MATCH (old:RefreshToken {id: $oldId})
MATCH (u:User {id: old.userId})
SET old.rotatedAt = datetime($now), old.replacedBy = $id
CREATE (u)-[:HAS_REFRESH_TOKEN]->(t:RefreshToken {
  id: $id, hash: $hash, userId: old.userId, familyId: old.familyId,
  createdAt: datetime($now), expiresAt: datetime($expiresAt)
})
RETURN t.id AS id
