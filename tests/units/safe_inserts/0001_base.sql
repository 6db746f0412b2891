-- 0001 base: a table with rows for the later units (t807), made by
-- statements that write pg_class, so that the window learns its oid
-- bound.
-- migrate:up
SET lock_timeout = '5s';
CREATE TABLE seats (id integer NOT NULL, room integer, note text);
CREATE TABLE tallies (n integer);
INSERT INTO seats SELECT g, g % 7, 'seat ' || g FROM generate_series(1, 300) g;

-- migrate:down
DROP TABLE tallies;
DROP TABLE seats;
