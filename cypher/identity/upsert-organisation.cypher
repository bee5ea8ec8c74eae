// Create an organisation, or update its name and nation. Organisation nodes may already
// exist (the catalogue and achievements MERGE them by UKPRN): only identity's own
// properties are set. A different kind than the stored one changes nothing (conflict).
OPTIONAL MATCH (existing:Organisation {ukprn: $ukprn})
WITH existing IS NOT NULL AS existed, existing.kind AS previousKind
MERGE (o:Organisation {ukprn: $ukprn})
WITH o, existed, previousKind, previousKind IS NULL OR previousKind = $kind AS accepted
FOREACH (_ IN CASE WHEN accepted THEN [1] ELSE [] END |
  SET o.name = $name, o.nation = $nation, o.kind = $kind
)
RETURN existed, previousKind, accepted,
       o {.ukprn, .name, .nation, .kind} AS organisation
