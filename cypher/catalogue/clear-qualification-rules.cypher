// Remove the rule structure of qualifications about to be rewritten: groups, exemptions, barred sets, scoped equivalences, owner edge.
UNWIND $qans AS qan
MATCH (q:Qualification {qan: qan})
CALL (q) {
  MATCH (q)-[:HAS_GROUP]->(:RuleGroup)<-[:IN_GROUP]-(e:Exemption)
  DETACH DELETE e
}
CALL (q) {
  MATCH (q)-[:HAS_GROUP]->(g:RuleGroup)
  DETACH DELETE g
}
CALL (q) {
  MATCH (q)-[:HAS_BARRED]->(b:BarredSet)
  DETACH DELETE b
}
CALL (q) {
  MATCH (:Unit)-[r:COUNTS_AS {qan: q.qan}]->(:Unit)
  DELETE r
}
CALL (q) {
  MATCH (:Organisation)-[r:OWNS]->(q)
  DELETE r
}
RETURN count(q) AS cleared
