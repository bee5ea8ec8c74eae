// A rule group is known by its qualification's QAN and its own id: "QAN#id".
CREATE CONSTRAINT rule_group_key IF NOT EXISTS FOR (g:RuleGroup) REQUIRE g.key IS UNIQUE
