-- 0001 base: a table the next units change (t807).
-- migrate:up
SET lock_timeout = '5s';
CREATE TABLE kept (a integer);

-- migrate:down
DROP TABLE kept;
