// Tests only: empty the one shared database between test files (schema stays).
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
