-- 0006 grant: granted and revoked again.
-- migrate:up
GRANT SELECT ON t TO PUBLIC;

-- migrate:down
REVOKE SELECT ON t FROM PUBLIC;
