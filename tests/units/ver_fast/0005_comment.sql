-- 0005 comment: a comment made and removed.
-- migrate:up
COMMENT ON TABLE t IS 'the t table';

-- migrate:down
COMMENT ON TABLE t IS NULL;
