// Desk calls received in [$from, $to) or still open: the report's service desk figures.
MATCH (c:DeskCall)
WHERE c.receivedAt < datetime($to) AND (c.receivedAt >= datetime($from) OR c.status = 'open'
  OR c.resolvedAt >= datetime($from))
RETURN c.category AS category, c.status AS status, toString(c.receivedAt) AS receivedAt,
  toString(c.resolvedAt) AS resolvedAt, c.serviceHours AS serviceHours
