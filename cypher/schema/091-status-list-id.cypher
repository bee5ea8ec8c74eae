// One node per credential status list: it hands out the list's indexes, so it must be one.
CREATE CONSTRAINT status_list_id IF NOT EXISTS FOR (s:StatusList) REQUIRE s.id IS UNIQUE
