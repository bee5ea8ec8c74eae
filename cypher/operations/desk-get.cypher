// One desk call.
MATCH (c:DeskCall {id: $id})
RETURN c.id AS id, toString(c.receivedAt) AS receivedAt, c.channel AS channel, c.organisation AS organisation,
  c.summary AS summary, c.category AS category, c.status AS status, toString(c.resolvedAt) AS resolvedAt,
  c.resolution AS resolution, c.serviceHours AS serviceHours
