// A unit is known by its unit reference number.
CREATE CONSTRAINT unit_urn IF NOT EXISTS FOR (u:Unit) REQUIRE u.urn IS UNIQUE
