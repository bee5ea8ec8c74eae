// The availability probe opens an unplanned outage (end absent while it lasts), or records
// a whole one at once (end given) when the graph could not be reached while it lasted.
MERGE (o:ServiceOutage {id: $id})
ON CREATE SET o.kind = 'unplanned', o.start = datetime($start), o.source = 'probe', o.reason = $reason,
  o.cancelled = false, o.inCoreHours = false
SET o.end = CASE WHEN $end IS NULL THEN o.end ELSE datetime($end) END
RETURN o.id AS id
