// The unit credits of learners (with those of ULNs merged into theirs), every AO's, for
// checking qualification awards against rules of combination. One row per ULN asked for.
UNWIND $ulns AS uln
RETURN uln, COLLECT {
  MATCH (l:Learner)-[:ACHIEVED]->(a:Achievement {kind: 'unit'})
  WHERE l.uln = uln OR l.linkedTo = uln
  RETURN {id: a.key, urn: a.urn, credit: a.credit, level: a.level, awardDate: toString(a.awardDate),
          status: a.status, underChallenge: a.underChallenge}
} AS credits
