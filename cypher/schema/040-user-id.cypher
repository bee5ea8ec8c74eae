// A user (a person who signs in, OCF 09) is known by an opaque id.
CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE
