// A page of qualifications in QAN order, optionally of one level and whose title or QAN contains some text, with the count of all that match.
WITH $level AS level, toLower($text) AS text
RETURN
  COUNT {
    MATCH (q:Qualification)
    WHERE (level IS NULL OR q.level = level)
      AND (text IS NULL OR toLower(q.title) CONTAINS text OR toLower(q.qan) CONTAINS text)
  } AS total,
  COLLECT {
    MATCH (q:Qualification)
    WHERE (level IS NULL OR q.level = level)
      AND (text IS NULL OR toLower(q.title) CONTAINS text OR toLower(q.qan) CONTAINS text)
    WITH q ORDER BY q.qan SKIP $offset LIMIT $limit
    RETURN q {
      .qan, .title, .level, .size, .totalCredits, .operationalStart, .operationalEnd,
      aoUkprn: head(COLLECT { MATCH (o:Organisation)-[:OWNS]->(q) RETURN o.ukprn })
    }
  } AS items
