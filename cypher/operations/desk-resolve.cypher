// Resolve an open call, with its resolution time in service hours. No row when the call is
// unknown or already resolved.
MATCH (c:DeskCall {id: $id})
WHERE c.status = 'open'
SET c.status = 'resolved', c.resolvedAt = datetime($resolvedAt), c.resolution = $resolution,
    c.resolvedBy = $by, c.serviceHours = $serviceHours
RETURN c.id AS id
