// Create exemptions of freshly cleared qualifications, each pointing at the rule group it counts in.
UNWIND $rows AS row
MATCH (g:RuleGroup {key: row.groupKey})
CREATE (e:Exemption {key: row.key, name: row.name, credits: row.credits, position: row.position})-[:IN_GROUP]->(g)
RETURN count(e) AS created
