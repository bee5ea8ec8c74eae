// Pathway data file: occupations that are new or changed replace what the graph held:
// title and scheme, and exactly the file's qualifications leading to them.
UNWIND $rows AS row
MERGE (o:Occupation {code: row.code})
SET o.title = row.title, o.scheme = row.scheme, o.pathwayHash = row.hash
WITH o, row
CALL (o) {
  MATCH (:Qualification)-[old:LEADS_TO]->(o)
  DELETE old
}
CALL (o, row) {
  UNWIND row.qans AS qan
  MATCH (q:Qualification {qan: qan})
  CREATE (q)-[l:LEADS_TO]->(o)
  RETURN count(l) AS links
}
RETURN sum(links) AS links
