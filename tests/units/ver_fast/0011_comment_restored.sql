-- 0011 comment_restored: a comment changed and set back to what it was.
-- migrate:up
COMMENT ON TABLE keep IS 'new';

-- migrate:down
COMMENT ON TABLE keep IS 'old';
