// Pathway data file (docs/pathway-data-format.md), before a load: which units and
// qualifications the file names are not in the catalogue, the units of the qualifications
// offered whole, and the content hash each provider, occupation and funding rule the file
// covers was last loaded with (absent: not loaded from a file before).
RETURN
  [u IN $urns WHERE NOT EXISTS { MATCH (:Unit {urn: u}) }] AS missingUnits,
  [q IN $qans WHERE NOT EXISTS { MATCH (:Qualification {qan: q}) }] AS missingQualifications,
  COLLECT {
    UNWIND $offerQans AS qan
    MATCH (q:Qualification {qan: qan})
    RETURN {qan: qan, urns: COLLECT { MATCH (q)-[:HAS_GROUP]->(:RuleGroup)-[:INCLUDES]->(u:Unit) RETURN DISTINCT u.urn }}
  } AS qualificationUnits,
  COLLECT { UNWIND $ukprns AS k MATCH (p:Provider {ukprn: k}) RETURN {key: k, hash: p.pathwayHash} } AS providers,
  COLLECT { UNWIND $codes AS k MATCH (o:Occupation {code: k}) RETURN {key: k, hash: o.pathwayHash} } AS occupations,
  COLLECT { UNWIND $ids AS k MATCH (f:FundingRule {id: k}) RETURN {key: k, hash: f.pathwayHash} } AS fundingRules
