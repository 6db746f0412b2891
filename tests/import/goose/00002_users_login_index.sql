-- +goose NO TRANSACTION
-- +goose Up
CREATE UNIQUE INDEX CONCURRENTLY users_login_key ON users (lower(login));
-- +goose Down
DROP INDEX CONCURRENTLY users_login_key;
