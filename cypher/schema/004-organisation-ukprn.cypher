// An organisation (AO, provider, careers service, operator) is known by its UKPRN.
CREATE CONSTRAINT organisation_ukprn IF NOT EXISTS FOR (o:Organisation) REQUIRE o.ukprn IS UNIQUE
