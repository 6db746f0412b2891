-- 0004 add_drop_column: a column added and dropped again; the table's rows
-- are new versions, so the schema is described to decide.
-- migrate:up
ALTER TABLE t ADD COLUMN c integer;

-- migrate:down
ALTER TABLE t DROP COLUMN c;
