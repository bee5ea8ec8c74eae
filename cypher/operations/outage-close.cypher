// The first successful probe after an outage closes it.
MATCH (o:ServiceOutage {id: $id})
WHERE o.end IS NULL
SET o.end = datetime($end)
RETURN o.id AS id
