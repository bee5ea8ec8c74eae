// An organisation's API client is known by its client id.
CREATE CONSTRAINT api_client_id IF NOT EXISTS FOR (c:ApiClient) REQUIRE c.id IS UNIQUE
