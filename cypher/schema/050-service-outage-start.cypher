// Submission deadlines read the service outages around a date range.
CREATE INDEX service_outage_start IF NOT EXISTS FOR (o:ServiceOutage) ON (o.start)
