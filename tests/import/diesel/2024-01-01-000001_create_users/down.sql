DROP TRIGGER users_touch ON users;
DROP FUNCTION users_touch();
DROP TABLE users;
DROP TYPE mood;
