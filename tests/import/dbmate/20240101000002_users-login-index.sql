-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY users_login_key ON users (lower(login));

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY users_login_key;
