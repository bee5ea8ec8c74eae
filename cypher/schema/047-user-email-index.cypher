// One user per email address: the sign-in name is looked up by its blind index (a keyed
// hash of the lower-cased address); the address itself is sealed (src/platform/sealing.ts).
CREATE CONSTRAINT user_email_index IF NOT EXISTS FOR (u:User) REQUIRE u.emailIndex IS UNIQUE
