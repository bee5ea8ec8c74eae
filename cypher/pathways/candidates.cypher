// Routes to achievement: candidate qualifications for a set of held units, cheapest-looking
// first. A qualification is a candidate when a held unit, or a unit it counts as through at
// most 8 equivalence steps (each global or scoped to that qualification), sits in one of its
// rule groups; or, with $occupation, when it leads to that occupation even with nothing held
// yet. Every filter is applied here: operational on $date, level range
// ($minLevelRank..$maxLevelRank), occupation, funding for $ageBand (a funding rule of that
// band whose level cap admits the qualification) and availability ($region: some unit of its
// groups offered there on $date, and each mandatory unit held, offered there, or one that
// another unit counts as). Nulls switch a filter off.
// lowerBound: the total less the credit of the held units that can count, which no route can
// beat (a unit counts at most its own credit, once); the service optimises candidates in
// this order and stops when no later one can enter the page. hash: the qualification's
// content hash, and the counts, let the service reuse rules it has already read.
CALL () {
  MATCH ()-[e:COUNTS_AS]->()
  RETURN count(e) AS equivalences
}
CALL () {
  MATCH (u:Unit)
  RETURN count(u) AS units
}
CALL () {
  CALL () {
    UNWIND $heldUrns AS urn
    MATCH (held:Unit {urn: urn})
    MATCH p = (held)-[:COUNTS_AS*0..8]->(v:Unit)
    MATCH (v)<-[:INCLUDES]-(:RuleGroup)<-[:HAS_GROUP]-(q:Qualification)
    WHERE all(r IN relationships(p) WHERE r.qan IS NULL OR r.qan = q.qan)
    RETURN q, held
    UNION
    MATCH (:Occupation {code: $occupation})<-[:LEADS_TO]-(q:Qualification)
    RETURN q, null AS held
  }
  WITH q, collect(DISTINCT held) AS covering
  WHERE q.operationalStart <= date($date)
    AND (q.operationalEnd IS NULL OR q.operationalEnd >= date($date))
    AND ($minLevelRank IS NULL OR q.levelRank >= $minLevelRank)
    AND ($maxLevelRank IS NULL OR q.levelRank <= $maxLevelRank)
    AND ($occupation IS NULL OR EXISTS { (q)-[:LEADS_TO]->(:Occupation {code: $occupation}) })
    AND ($ageBand IS NULL OR EXISTS {
      MATCH (f:FundingRule)-[:FUNDS]->(q)
      WHERE $ageBand IN f.ageBands AND (f.maxLevelRank IS NULL OR q.levelRank <= f.maxLevelRank)
    })
    AND ($region IS NULL OR (EXISTS {
      MATCH (q)-[:HAS_GROUP]->(:RuleGroup)-[:INCLUDES]->(:Unit)<-[o:OFFERS]-(p:Provider)
      WHERE p.region = $region AND o.from <= date($date) AND (o.to IS NULL OR o.to >= date($date))
    } AND NOT EXISTS {
      // A mandatory unit that is not held, is offered nowhere in the region and that no other
      // unit counts as: nothing can fill it there.
      MATCH (q)-[:HAS_GROUP]->(:RuleGroup {mandatory: true})-[:INCLUDES]->(m:Unit)
      WHERE NOT m.urn IN $heldUrns
        AND NOT EXISTS { (m)<-[:COUNTS_AS]-(:Unit) }
        AND NOT EXISTS {
          MATCH (m)<-[o:OFFERS]-(p:Provider)
          WHERE p.region = $region AND o.from <= date($date) AND (o.to IS NULL OR o.to >= date($date))
        }
    }))
  WITH q, q.totalCredits - reduce(c = 0, u IN covering | c + u.credit) AS short
  WITH q, CASE WHEN short > 0 THEN short ELSE 0 END AS lowerBound
  ORDER BY lowerBound, q.qan
  LIMIT $max
  RETURN collect({qan: q.qan, lowerBound: lowerBound, hash: q.contentHash}) AS candidates
}
RETURN equivalences, units, candidates
