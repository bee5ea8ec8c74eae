// Who is told of a planned window: every enabled user of an awarding organisation (the
// repository opens the sealed emails).
MATCH (o:Organisation {kind: 'ao'})<-[:MEMBER_OF]-(u:User)
WHERE NOT coalesce(u.disabled, false) AND u.emailSealed IS NOT NULL
RETURN DISTINCT u.emailSealed AS emailSealed
