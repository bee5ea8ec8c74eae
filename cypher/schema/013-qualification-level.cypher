// Qualifications are listed and searched by level (catalogue browsing, routes to achievement).
CREATE INDEX qualification_level IF NOT EXISTS FOR (q:Qualification) ON (q.level)
