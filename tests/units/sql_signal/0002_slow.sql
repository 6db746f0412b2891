-- 0002 slow: test unit (sql_signal, t704): its second statement sleeps
-- until a signal cancels it.
-- migrate:up
CREATE TABLE sig_two (id int);
SELECT pg_sleep(60);
CREATE TABLE sig_three (id int);
-- migrate:down
DROP TABLE sig_three;
DROP TABLE sig_two;
