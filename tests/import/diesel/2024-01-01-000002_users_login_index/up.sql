CREATE UNIQUE INDEX CONCURRENTLY users_login_key ON users (lower(login));
