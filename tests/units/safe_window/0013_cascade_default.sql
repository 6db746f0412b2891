-- 0013 cascade_default: a table with defaults made and dropped (the
-- pg_attribute updates its pg_attrdef rows explain), and a default that
-- DROP SEQUENCE ... CASCADE takes from a table that stays (a deleted
-- default of no dropped table: the window reads pg_attribute).
-- migrate:up
SET lock_timeout = '5s';
CREATE SEQUENCE seat_seq;
ALTER TABLE players ADD COLUMN seat integer;
ALTER TABLE players ALTER COLUMN seat SET DEFAULT nextval('seat_seq');
CREATE TABLE seats (id integer DEFAULT nextval('seat_seq'), label text DEFAULT 'free');

-- migrate:down
DROP TABLE seats;
DROP SEQUENCE seat_seq CASCADE;
ALTER TABLE players DROP COLUMN seat;
