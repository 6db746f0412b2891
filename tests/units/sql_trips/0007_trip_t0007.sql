-- 0007 trip_t0007: test unit (sql_trips, t704): a table and an index,
-- the last statement ended by the section, inside a comment.
-- migrate:up
CREATE TABLE trip_t0007 (id bigint NOT NULL, name text NOT NULL);
CREATE INDEX trip_t0007_name_idx ON trip_t0007 (name) -- no semicolon of its own;
-- migrate:down
DROP TABLE trip_t0007;
