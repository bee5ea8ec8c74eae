// One organisation's identity properties; kind is null for a node only another feature made.
MATCH (o:Organisation {ukprn: $ukprn})
RETURN o {.ukprn, .name, .nation, .kind} AS organisation
