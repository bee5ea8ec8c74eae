// Backup manifest: how many relationships there are of each type.
MATCH ()-[r]->()
RETURN type(r) AS type, count(*) AS count
ORDER BY type
