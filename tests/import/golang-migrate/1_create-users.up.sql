BEGIN;

CREATE TYPE mood AS ENUM ('happy', 'sad');

CREATE TABLE users (
	id bigserial PRIMARY KEY,
	login text NOT NULL,
	mood mood NOT NULL DEFAULT 'happy',
	profile jsonb NOT NULL DEFAULT '{}',
	updated_at timestamptz
);

CREATE FUNCTION users_touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- keep updated_at current; a comment that must not swallow the body

	NEW.updated_at := now();
	RETURN NEW;
END
$$;

CREATE TRIGGER users_touch BEFORE UPDATE ON users
	FOR EACH ROW EXECUTE FUNCTION users_touch();

COMMIT;
