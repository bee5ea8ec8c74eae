// What access decisions need to know about a learner: whether they exist, whether the
// record is available to others, and the master ULN when merged.
OPTIONAL MATCH (l:Learner {uln: $uln})
RETURN l IS NOT NULL AS exists, coalesce(l.available, true) AS available, l.linkedTo AS linkedTo
