-- 0002 index_v: a plain CREATE INDEX blocks writes to t while it builds.
-- migrate:up
CREATE INDEX t_v ON t (v);

-- migrate:down
DROP INDEX t_v;
