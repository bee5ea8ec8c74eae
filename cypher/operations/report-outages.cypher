// Service outages and maintenance windows that overlap [$from, $to), cancelled ones left
// out; an open outage (no end yet) is still going on.
MATCH (o:ServiceOutage)
WHERE o.start < datetime($to) AND (o.end IS NULL OR o.end > datetime($from)) AND coalesce(o.cancelled, false) = false
RETURN coalesce(o.id, elementId(o)) AS id, coalesce(o.kind, 'unplanned') AS kind, toString(o.start) AS start,
  toString(o.end) AS end, o.reason AS reason, coalesce(o.inCoreHours, false) AS inCoreHours, o.source AS source
ORDER BY start
