// Who is told of a planned window: every enabled user of an awarding organisation.
MATCH (o:Organisation {kind: 'ao'})<-[:MEMBER_OF]-(u:User)
WHERE NOT coalesce(u.disabled, false) AND u.email IS NOT NULL
RETURN DISTINCT u.email AS email
ORDER BY email
