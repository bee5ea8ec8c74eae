// An exemption is known by its qualification's QAN and its name, unique inside the qualification.
CREATE CONSTRAINT exemption_key IF NOT EXISTS FOR (e:Exemption) REQUIRE e.key IS UNIQUE
