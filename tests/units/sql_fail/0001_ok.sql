-- migrate:up
CREATE TABLE fine (id int);
-- migrate:down
DROP TABLE fine;
