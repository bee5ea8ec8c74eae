// The service desk log (src/operations/desk.ts).
CREATE CONSTRAINT desk_call_id IF NOT EXISTS FOR (c:DeskCall) REQUIRE c.id IS UNIQUE
