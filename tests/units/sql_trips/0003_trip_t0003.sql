-- 0003 trip_t0003: test unit (sql_trips, t704): a table and an index.
-- migrate:up
CREATE TABLE trip_t0003 (id bigint NOT NULL, name text NOT NULL);
CREATE INDEX trip_t0003_name_idx ON trip_t0003 (name);
-- migrate:down
DROP TABLE trip_t0003;
