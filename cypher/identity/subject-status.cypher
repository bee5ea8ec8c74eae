// Whether a token's subject (a user or an API client) may still act: checked on each request.
OPTIONAL MATCH (u:User {id: $id})
OPTIONAL MATCH (c:ApiClient {id: $id})
RETURN u IS NOT NULL AS isUser, coalesce(u.disabled, false) AS disabled,
       c IS NOT NULL AS isClient, c.revokedAt IS NOT NULL AS revoked
