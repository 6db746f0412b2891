-- 0008 rename: renamed and renamed back.
-- migrate:up
ALTER TABLE t RENAME TO t_renamed;

-- migrate:down
ALTER TABLE t_renamed RENAME TO t;
