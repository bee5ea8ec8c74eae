// Workers that have reported, newest beat first.
MATCH (w:Worker)
RETURN w.name AS name, toString(w.lastSeen) AS lastSeen, w.beats AS beats, w.pid AS pid, w.host AS host
ORDER BY w.lastSeen DESC
LIMIT $limit
