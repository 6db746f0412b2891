-- 0003 drop_mark: drops verify's own mark table, so the catalog check
-- after the down step fails: it must be undone, and the schema described
-- instead (t807).
-- migrate:up
SET lock_timeout = '5s';
DROP TABLE pg_temp.migrate_verify_mark;
CREATE TABLE more (a integer);

-- migrate:down
DROP TABLE more;
