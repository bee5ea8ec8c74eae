// Create or update units from a batch; a unit whose stored content hash matches is left untouched.
UNWIND $rows AS row
OPTIONAL MATCH (old:Unit {urn: row.urn})
WITH row, old
WHERE old IS NULL OR old.contentHash IS NULL OR old.contentHash <> row.hash
MERGE (u:Unit {urn: row.urn})
SET u.title = row.title,
    u.level = row.level,
    u.levelRank = row.levelRank,
    u.credit = row.credit,
    u.contentHash = row.hash
RETURN count(u) AS written, count(old) AS updated
