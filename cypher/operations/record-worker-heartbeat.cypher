// A worker says it is alive: one node per worker, with its last beat and count of beats.
MERGE (w:Worker {name: $name})
ON CREATE SET w.firstSeen = datetime($at), w.beats = 0
SET w.lastSeen = datetime($at), w.beats = w.beats + 1, w.pid = $pid, w.host = $host
RETURN w.name AS name, toString(w.lastSeen) AS lastSeen, w.beats AS beats
