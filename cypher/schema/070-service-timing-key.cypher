// Response-time figures: one ServiceTiming per charter service and London day (src/operations/timing.ts).
CREATE CONSTRAINT service_timing_key IF NOT EXISTS FOR (t:ServiceTiming) REQUIRE t.key IS UNIQUE
