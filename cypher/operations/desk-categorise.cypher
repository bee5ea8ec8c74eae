// Assign (or change) a call's incident category.
MATCH (c:DeskCall {id: $id})
SET c.category = $category, c.categorisedAt = datetime($now), c.categorisedBy = $by
RETURN c.id AS id
