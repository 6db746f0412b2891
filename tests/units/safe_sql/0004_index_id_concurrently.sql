-- 0004 index_id_concurrently: the safe way to index a live table.
-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY t_id ON t (id);

-- migrate:down
DROP INDEX CONCURRENTLY t_id;
