// Recorded service unavailability (planned maintenance and outages) that ends after $from
// and starts before $to: submission deadlines are extended by it.
MATCH (o:ServiceOutage)
WHERE o.start < datetime($to) AND o.end > datetime($from)
RETURN toString(o.start) AS start, toString(o.end) AS end
ORDER BY start
