-- rich.sql: one of everything the fingerprint describes, for the
-- restore round trip of t500 (a database rebuilt from this one's
-- pg_dump --schema-only must have the same fingerprint).
-- Needs the roles fp_reader and fp_owner.
CREATE EXTENSION citext;
CREATE SCHEMA app AUTHORIZATION fp_owner;
COMMENT ON SCHEMA app IS 'the application';
GRANT USAGE ON SCHEMA app TO fp_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO fp_reader;

CREATE TYPE app.mood AS ENUM ('sad', 'ok');
ALTER TYPE app.mood ADD VALUE 'happy' BEFORE 'ok';
CREATE TYPE app.pair AS (x integer, y text COLLATE "C");
COMMENT ON COLUMN app.pair.y IS 'second';
CREATE DOMAIN app.posint AS integer NOT NULL DEFAULT 1
	CONSTRAINT posint_check CHECK (VALUE > 0);
CREATE TYPE app.floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
GRANT USAGE ON TYPE app.mood TO fp_reader;
CREATE COLLATION app.nocase (provider = icu, locale = 'und-u-ks-level2',
	deterministic = false);

CREATE SEQUENCE app.ticket_seq AS integer INCREMENT 5 MINVALUE 10
	MAXVALUE 100000 START 20 CACHE 2 CYCLE;
GRANT USAGE ON SEQUENCE app.ticket_seq TO fp_reader;

CREATE TABLE app.users (
	id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100) PRIMARY KEY,
	email citext NOT NULL UNIQUE,
	nick text COLLATE "C",
	mood app.mood DEFAULT 'ok',
	score app.posint,
	doubled integer GENERATED ALWAYS AS (score * 2) STORED,
	ticket integer DEFAULT nextval('app.ticket_seq'),
	dropped_later text,
	created_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 90);
ALTER TABLE app.users DROP COLUMN dropped_later;
ALTER TABLE app.users ALTER COLUMN nick SET STORAGE EXTERNAL;
ALTER TABLE app.users ALTER COLUMN nick SET STATISTICS 500;
ALTER TABLE app.users ALTER COLUMN email SET (n_distinct = -1);
ALTER SEQUENCE app.ticket_seq OWNED BY app.users.ticket;
COMMENT ON TABLE app.users IS 'people';
COMMENT ON COLUMN app.users.email IS 'login';
GRANT SELECT (id, nick) ON app.users TO fp_reader;
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON app.users FOR SELECT TO fp_reader
	USING (nick = current_user);
CREATE POLICY users_strict ON app.users AS RESTRICTIVE FOR UPDATE
	USING (score > 0) WITH CHECK (score < 100);
CREATE INDEX users_nick_idx ON app.users (lower(nick)) WHERE nick IS NOT NULL;
CREATE INDEX users_created_idx ON app.users USING brin (created_at);
CREATE STATISTICS app.users_stats (dependencies) ON score, ticket FROM app.users;

CREATE TABLE app.rooms (
	id serial PRIMARY KEY,
	owner_id bigint REFERENCES app.users ON DELETE CASCADE
		DEFERRABLE INITIALLY DEFERRED,
	span app.floatrange,
	CONSTRAINT rooms_span_check CHECK (NOT isempty(span)) NOT VALID
);
ALTER TABLE app.rooms REPLICA IDENTITY FULL;
CREATE UNLOGGED TABLE app.scratch (k text PRIMARY KEY, v jsonb);
ALTER TABLE app.scratch OWNER TO fp_owner;
CLUSTER app.scratch USING scratch_pkey;

CREATE TABLE app.events (id bigint, at date NOT NULL, kind text)
	PARTITION BY RANGE (at);
CREATE TABLE app.events_2024 PARTITION OF app.events
	FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE app.events_2025 (kind text, at date NOT NULL, id bigint);
ALTER TABLE app.events ATTACH PARTITION app.events_2025
	FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE app.events_rest PARTITION OF app.events DEFAULT;
CREATE INDEX events_at_idx ON app.events (at);
ALTER TABLE app.events ADD CONSTRAINT events_kind_check CHECK (kind <> '');
ALTER TABLE app.events ADD PRIMARY KEY (id, at);
CREATE TABLE app.event_refs (event_id bigint, event_at date,
	FOREIGN KEY (event_id, event_at) REFERENCES app.events);

CREATE TABLE app.base (id integer, label text);
CREATE TABLE app.child (extra text, label text) INHERITS (app.base);
CREATE TABLE app.typed OF app.pair;

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.created_at := now();
	RETURN NEW;
END
$$;
CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	SET search_path = pg_catalog AS 'SELECT a + b';
REVOKE EXECUTE ON FUNCTION app.add(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.add(integer, integer) TO fp_reader;
COMMENT ON FUNCTION app.add(integer, integer) IS 'sum';
CREATE PROCEDURE app.reset_scores() LANGUAGE sql AS $$
	UPDATE app.users SET score = 1
$$;
CREATE AGGREGATE app.total(integer) (sfunc = int4pl, stype = integer,
	initcond = '0');
CREATE TRIGGER users_touch BEFORE INSERT OR UPDATE OF nick ON app.users
	FOR EACH ROW WHEN (NEW.nick IS NOT NULL) EXECUTE FUNCTION app.touch();
CREATE TRIGGER users_touch_off BEFORE DELETE ON app.users
	FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.users DISABLE TRIGGER users_touch_off;
CREATE FUNCTION app.no_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.kind := coalesce(NEW.kind, 'none');
	RETURN NEW;
END
$$;
CREATE TRIGGER events_kind BEFORE INSERT ON app.events
	FOR EACH ROW EXECUTE FUNCTION app.no_kind();
CREATE RULE scratch_no_delete AS ON DELETE TO app.scratch DO INSTEAD NOTHING;

CREATE VIEW app.active_users WITH (security_barrier) AS
	SELECT id, email FROM app.users WHERE score > 0
	WITH LOCAL CHECK OPTION;
ALTER VIEW app.active_users ALTER COLUMN email SET DEFAULT 'x@y';
GRANT SELECT ON app.active_users TO fp_reader;
CREATE MATERIALIZED VIEW app.room_counts AS
	SELECT owner_id, count(*) AS n FROM app.rooms GROUP BY owner_id;
CREATE UNIQUE INDEX room_counts_owner_idx ON app.room_counts (owner_id);

CREATE TABLE public.plain (a integer);

CREATE EXTENSION file_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER file_fdw;
CREATE FOREIGN TABLE app.passwd (line text OPTIONS (force_not_null 'true'))
	SERVER files OPTIONS (filename '/etc/hostname');

CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE NOTICE 'ddl';
END
$$;
CREATE EVENT TRIGGER app_ddl ON ddl_command_end
	WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE') EXECUTE FUNCTION app.on_ddl();
