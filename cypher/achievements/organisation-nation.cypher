// The UK nation whose public holidays count for an awarding organisation's deadlines.
OPTIONAL MATCH (o:Organisation {ukprn: $ukprn})
RETURN o.nation AS nation
