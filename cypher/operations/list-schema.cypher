// What migrations have made: names and kinds of constraints and indexes.
SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint
WHERE type <> 'LOOKUP'
RETURN name, type, labelsOrTypes, properties, owningConstraint IS NOT NULL AS fromConstraint
ORDER BY name
