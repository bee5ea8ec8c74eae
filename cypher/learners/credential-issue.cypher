// Issue 17 point 6: store a verifiable credential issued from a learner's record. It takes
// the next index of status list $list (the list node is locked first, so two issues never
// share an index) and CARRIES every record it states, with the record's version then: the
// learner's achievements that are not withdrawn (merged ULNs included), or with $qan only
// the active award of that qualification. Amending or withdrawing a carried record later
// revokes the credential (see credential-state and credential-status-list).
MERGE (s:StatusList {id: $list})
ON CREATE SET s.next = 0
SET s.lock = true
WITH s
SET s.next = s.next + 1
WITH s, s.next - 1 AS index
CREATE (c:Credential {
  id: $id, uln: $uln, kind: $kind, qan: $qan, list: $list, index: index, issuedAt: datetime($now)
})
CREATE (s)-[:HAS_ENTRY]->(c)
WITH c, index
CALL (c) {
  MATCH (l:Learner)-[:ACHIEVED]->(a:Achievement)
  WHERE (l.uln = $uln OR l.linkedTo = $uln)
    AND coalesce(a.status, 'active') <> 'withdrawn'
    AND ($qan IS NULL OR (a.kind = 'qualification' AND a.qan = $qan))
  CREATE (c)-[:CARRIES {version: coalesce(a.version, 1)}]->(a)
}
RETURN index, COUNT { (c)-[:CARRIES]->() } AS carried
