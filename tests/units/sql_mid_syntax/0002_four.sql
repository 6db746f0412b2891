-- 0002 four: test unit (sql_mid_syntax, t704): four statements, the third
-- a syntax error, which fails the message before any of it runs.
-- migrate:up
CREATE TABLE mid_a (id int PRIMARY KEY);
INSERT INTO mid_a VALUES (1), (2);

INSERT INTO mid_a
	SELEKT id FROM
		mid_a;
CREATE TABLE mid_d (id int);
-- migrate:down
DROP TABLE mid_d;
DROP TABLE mid_a;
