// End a maintenance window now: one that has not begun is cancelled (it never happened);
// one in progress ends at $now. No row for an unknown, cancelled or finished window.
MATCH (o:ServiceOutage {id: $id})
WHERE o.kind IN ['planned', 'emergency'] AND NOT coalesce(o.cancelled, false) AND o.end > datetime($now)
WITH o, o.start > datetime($now) AS notBegun
SET o.cancelled = notBegun,
    o.end = CASE WHEN notBegun THEN o.end ELSE datetime($now) END,
    o.endedBy = $by
RETURN o.id AS id, notBegun AS cancelled
