-- 0013 last: sees every unit before it, one_way included.
-- migrate:up
CREATE INDEX one_way_a ON one_way (a);

-- migrate:down
DROP INDEX one_way_a;
