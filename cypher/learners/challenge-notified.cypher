// OCF 08: note when the learner was sent the outcome of their challenge.
MATCH (c:Challenge {id: $id})
SET c.notifiedAt = datetime($at)
RETURN c.id AS id
