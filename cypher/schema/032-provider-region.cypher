// Routes to achievement (OCF 06): the availability filter starts from the providers of one region.
CREATE INDEX provider_region IF NOT EXISTS FOR (p:Provider) ON (p.region)
