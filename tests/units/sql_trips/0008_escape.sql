-- 0008 escape: test unit (sql_trips, t704).  The server parses a message
-- whole before running it, so a statement that changes how later ones are
-- read keeps the unit's statements one at a time: 'a\\b' is three
-- characters here, as psql would send it.
-- migrate:up
CREATE TABLE trip_escape (v text);
SET LOCAL standard_conforming_strings = off;
SET LOCAL escape_string_warning = off;
INSERT INTO trip_escape VALUES ('a\\b');
-- migrate:down
DROP TABLE trip_escape;
