// OCF 08: the achievement record a learner wants to challenge, if it is theirs (held
// under their ULN or under a ULN merged into theirs), with what filing needs to check.
MATCH (a:Achievement {key: $key})<-[:ACHIEVED]-(holder:Learner)
WHERE holder.uln = $uln OR holder.linkedTo = $uln
RETURN a.key AS key, a.status AS status, a.submittedAt.epochMillis AS submittedAtMs
LIMIT 1
