-- 0003 after: test unit (sql_mid_fail, t704): never reached.
-- migrate:up
CREATE TABLE mid_after (id int);
-- migrate:down
DROP TABLE mid_after;
