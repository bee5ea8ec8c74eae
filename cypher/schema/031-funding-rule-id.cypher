// Routes to achievement (OCF 06): a funding rule is known by its id, so reloading funding data is idempotent.
CREATE CONSTRAINT funding_rule_id IF NOT EXISTS FOR (f:FundingRule) REQUIRE f.id IS UNIQUE
