-- 0001 before: test unit (sql_mid_syntax, t704).
-- migrate:up
CREATE TABLE mid_before (id int);
-- migrate:down
DROP TABLE mid_before;
