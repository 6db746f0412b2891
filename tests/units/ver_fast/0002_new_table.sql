-- 0002 new_table: a table and an index, dropped again: the catalog marks
-- prove it (t634).
-- migrate:up
CREATE TABLE fresh (id bigint NOT NULL, name text NOT NULL DEFAULT '');
CREATE INDEX fresh_name ON fresh (name);

-- migrate:down
DROP TABLE fresh;
