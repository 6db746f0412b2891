-- 0001 first: test unit (sql_signal, t704).
-- migrate:up
CREATE TABLE sig_first (id int);
-- migrate:down
DROP TABLE sig_first;
