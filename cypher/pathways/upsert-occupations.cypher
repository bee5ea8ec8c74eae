// Routes to achievement: occupations (career aspirations) and the qualifications that lead
// to them. MERGEd: loading the same rows again changes nothing.
UNWIND $rows AS row
MERGE (o:Occupation {code: row.code})
SET o.title = row.title
WITH o, row
UNWIND row.qans AS qan
MATCH (q:Qualification {qan: qan})
MERGE (q)-[l:LEADS_TO]->(o)
RETURN count(l) AS links
