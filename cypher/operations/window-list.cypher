// Maintenance windows (planned and emergency) that end after $from, soonest first;
// cancelled ones only when asked.
MATCH (o:ServiceOutage)
WHERE o.kind IN ['planned', 'emergency'] AND o.end > datetime($from) AND ($cancelled OR NOT coalesce(o.cancelled, false))
RETURN o.id AS id, o.kind AS kind, toString(o.start) AS start, toString(o.end) AS end,
  toString(o.announceFrom) AS announceFrom, o.messageEn AS messageEn, o.messageCy AS messageCy,
  o.reason AS reason, coalesce(o.inCoreHours, false) AS inCoreHours, coalesce(o.cancelled, false) AS cancelled,
  o.source AS source
ORDER BY o.start
LIMIT $limit
