// An availability request is known by its id (OCF 07).
CREATE CONSTRAINT availability_request_id IF NOT EXISTS FOR (r:AvailabilityRequest) REQUIRE r.id IS UNIQUE
