// Desk calls, newest first; open ones only when asked.
MATCH (c:DeskCall)
WHERE $status IS NULL OR c.status = $status
RETURN c.id AS id, toString(c.receivedAt) AS receivedAt, c.channel AS channel, c.organisation AS organisation,
  c.summary AS summary, c.category AS category, c.status AS status, toString(c.resolvedAt) AS resolvedAt,
  c.resolution AS resolution, c.serviceHours AS serviceHours
ORDER BY c.receivedAt DESC
LIMIT $limit
