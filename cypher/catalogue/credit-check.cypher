// OCF 05: a unit and every record of credit for it that a learner (or a ULN merged into
// theirs) holds, with the awarding organisation; optionally one AO's records only.
MATCH (u:Unit {urn: $urn})
RETURN u {.urn, .title, .level, .credit} AS unit,
  COLLECT {
    MATCH (l:Learner)-[:ACHIEVED]->(a:Achievement)-[:FOR_UNIT]->(u)
    WHERE (l.uln = $uln OR l.linkedTo = $uln) AND ($aoUkprn IS NULL OR a.aoUkprn = $aoUkprn)
    OPTIONAL MATCH (o:Organisation)-[:AWARDED]->(a)
    RETURN a {
      .recordId, .aoUkprn, .credit, .level, .grade, .status, .underChallenge, .uln,
      awardDate: toString(a.awardDate), aoName: o.name
    } AS record
  } AS records
