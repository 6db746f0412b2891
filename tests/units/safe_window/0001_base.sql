-- 0001 base: the tables every later unit changes, with rows, so that
-- scans show (t807).  Dropping players drops a primary key: a deleted
-- constraint row, which the window cannot place.
-- migrate:up
SET lock_timeout = '5s';
CREATE TABLE players (id integer PRIMARY KEY, login text NOT NULL, score integer DEFAULT 0);
CREATE TABLE rounds (id integer NOT NULL, player_id integer, points integer);
CREATE TABLE rooms (id integer NOT NULL, name text);
INSERT INTO players SELECT g, 'p' || g FROM generate_series(1, 300) g;
INSERT INTO rounds SELECT g, 1 + g % 300, g FROM generate_series(1, 300) g;
INSERT INTO rooms SELECT g, 'room ' || g FROM generate_series(1, 300) g;

-- migrate:down
DROP TABLE rooms;
DROP TABLE rounds;
DROP TABLE players;
