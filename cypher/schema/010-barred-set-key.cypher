// A barred set is known by its qualification's QAN and its place in the list: "QAN#barred-N".
CREATE CONSTRAINT barred_set_key IF NOT EXISTS FOR (b:BarredSet) REQUIRE b.key IS UNIQUE
