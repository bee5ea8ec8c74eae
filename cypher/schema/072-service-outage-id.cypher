// Outages and maintenance windows by id (src/operations/maintenance.ts, probe.ts).
CREATE CONSTRAINT service_outage_id IF NOT EXISTS FOR (o:ServiceOutage) REQUIRE o.id IS UNIQUE
