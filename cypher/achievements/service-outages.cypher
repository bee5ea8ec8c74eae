// Lost service that ends after $from and starts before $to: submission deadlines are
// extended by it. Charter section 7: unscheduled downtime (unplanned outages) and
// emergency maintenance extend deadlines; planned maintenance, announced ahead, does not.
// An outage still open counts up to $to (the submission); a cancelled window never happened.
MATCH (o:ServiceOutage)
WHERE o.start < datetime($to) AND coalesce(o.end, datetime($to)) > datetime($from)
  AND coalesce(o.kind, 'unplanned') IN ['unplanned', 'emergency'] AND NOT coalesce(o.cancelled, false)
RETURN toString(o.start) AS start, toString(coalesce(o.end, datetime($to))) AS end
ORDER BY start
