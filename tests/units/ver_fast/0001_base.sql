-- 0001 base: what the later units of this set (t634) change and restore.
-- migrate:up
CREATE TABLE t (a integer, b text);
CREATE TABLE keep (a integer);
COMMENT ON TABLE keep IS 'old';
CREATE INDEX t_a ON t (a);

-- migrate:down
DROP TABLE keep;
DROP TABLE t;
