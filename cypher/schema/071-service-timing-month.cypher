// The monthly service-level report reads a month of days.
CREATE INDEX service_timing_month IF NOT EXISTS FOR (t:ServiceTiming) ON (t.month)
