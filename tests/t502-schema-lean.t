#!/usr/bin/env bash
# t502: the fingerprint's lean describe (pgc/schema.pgc, and
# src/schema_lines.c for a small schema's rows).  On a schema of tables,
# columns, constraints, indexes and sequences only, the lean statement is
# the whole describe: up records its hash, which equals the hash of the
# full text (tests/schema/describe-v1.sql), with no second statement.
# Each kind of object it leaves out makes it say so, and up then records
# the full statement's hash; so does status, recomputing.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/roundtrips.sh"

roundtrips_server
old_sql=$MIGRATE_ROOT/tests/schema/describe-v1.sql
tmp=$(test_tmpdir)
FULL='-- event triggers'
LEAN='-- columns, in order'

# full_hash DB: the SHA-256 of the frozen full statement's text for DB
full_hash()
{
	psql -X -At -1 -v ON_ERROR_STOP=1 -v history_schema=public \
		-v history_name=schema_migrations -d "$1" -f "$old_sql" >"$tmp/raw" &&
		sed '$d' "$tmp/raw" | sha256sum | cut -d' ' -f1
}

# check NAME SQL FULL [ALONE]: SQL run by hand before up; FULL, how many
# full describes up needs (0: the lean one was complete); ALONE, a
# statement run after SQL by itself, which may fail (a CREATE INDEX
# CONCURRENTLY that leaves an invalid index).
check()
{
	local name=$1 sql=$2 full=$3 alone=${4:-} db stored
	db=$(fresh_db lean) || BAIL_OUT "cannot create a database"
	if [ -n "$sql" ]; then
		psql_val "$db" "$sql" >/dev/null || BAIL_OUT "cannot make $name"
	fi
	if [ -n "$alone" ]; then
		psql -Xq -d "$db" -c "$alone" >/dev/null 2>&1
	fi
	run_logged "$MIGRATE_BIN" "$db" up --to 1
	is "$RC" 0 "$name: up applies"
	is "$(grep -F -e "$LEAN" <<<"$TRIPS" | grep -cvF -e "$FULL")" 1 \
		"$name: up describes with the lean statement"
	is "$(grep -F -e "$LEAN" <<<"$TRIPS" | grep -vF -e "$FULL" | grep -cF -e "pg_catalog.sha256")" 0 \
		"$name: in rows that the runner assembles and hashes"
	is "$(count_lines "$TRIPS" "$FULL")" "$full" "$name: and $full time(s) with the full one"
	stored=$(psql_val "$db" "SELECT schema_hash FROM schema_migrations ORDER BY version DESC LIMIT 1")
	is "$stored" "$(full_hash "$db")" "$name: up records the full text's hash"
	psql_val "$db" "SELECT pg_catalog.pg_current_xact_id()" >/dev/null
	run_cmd "$MIGRATE_BIN" -d "$(db_url "$db")" status --json
	is "$(json_field "$OUT" drift)" false "$name: status, recomputing, sees no drift"
	db_last=$db
}

check "tables only" "" 0
check "a sequence and a partitioned table" "CREATE SEQUENCE s1;
	CREATE TABLE pt (a integer) PARTITION BY RANGE (a);
	CREATE TABLE pt_1 PARTITION OF pt FOR VALUES FROM (0) TO (10)" 0
check "default privileges" "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC" 1
check "an event trigger" "CREATE FUNCTION et_f() RETURNS event_trigger LANGUAGE plpgsql AS
	\$\$BEGIN END\$\$; CREATE EVENT TRIGGER et ON ddl_command_end EXECUTE FUNCTION et_f()" 1
check "an enum" "CREATE TYPE mood AS ENUM ('ok')" 1
check "a domain" "CREATE DOMAIN posint AS integer CHECK (VALUE > 0)" 1
check "a composite type" "CREATE TYPE pair AS (a integer, b integer)" 1
check "a range type" "CREATE TYPE floatrange AS RANGE (subtype = float8)" 1
check "a collation" "CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false)" 1
check "a function" "CREATE FUNCTION one() RETURNS integer LANGUAGE sql AS 'SELECT 1'" 1
check "a procedure" "CREATE PROCEDURE nothing() LANGUAGE sql AS 'SELECT 1'" 1
check "inheritance" "CREATE TABLE parent (a integer); CREATE TABLE child () INHERITS (parent)" 1
check "a trigger" "CREATE TABLE tt (a integer);
	CREATE FUNCTION tt_f() RETURNS trigger LANGUAGE plpgsql AS \$\$BEGIN RETURN NEW; END\$\$;
	CREATE TRIGGER tt_t BEFORE INSERT ON tt FOR EACH ROW EXECUTE FUNCTION tt_f()" 1
check "a policy" "CREATE TABLE pol (a integer); CREATE POLICY p ON pol USING (a > 0)" 1
check "a rule" "CREATE TABLE ru (a integer); CREATE RULE ru_r AS ON DELETE TO ru DO INSTEAD NOTHING" 1
check "a statistics object" "CREATE TABLE st (a integer, b integer);
	CREATE STATISTICS st_s ON a, b FROM st" 1
check "a foreign key (its internal triggers)" "CREATE TABLE fk_p (id integer PRIMARY KEY);
	CREATE TABLE fk_c (p integer REFERENCES fk_p)" 0
check "a view (its rule)" "CREATE TABLE vt (a integer); CREATE VIEW vv AS SELECT a FROM vt" 0
# The lean statement names a partition's parent, an attached index's and
# a sequence's owning column with pg_identify_object, the full one with
# format('%I.%I'): names that need quoting show that both say the same.
check "quoted names: partitions, an attached index, serial and identity columns" \
	"CREATE SCHEMA \"Odd Schema\";
	CREATE TABLE \"Odd Schema\".\"My Table\" (id serial, v integer) PARTITION BY RANGE (v);
	CREATE TABLE \"Odd Schema\".\"My Part\" PARTITION OF \"Odd Schema\".\"My Table\"
		FOR VALUES FROM (0) TO (10);
	CREATE INDEX \"My Index\" ON \"Odd Schema\".\"My Table\" (v);
	CREATE TABLE \"Odd Schema\".\"User\" (\"Select\" integer GENERATED ALWAYS AS IDENTITY,
		\"order\" bigserial)" 0
# ... and a tablespace, a table access method and a collation of
# pg_catalog's, which it names the same way.
mkdir -p "$tmp/ts" && { [ "$(id -u)" != 0 ] || chown postgres: "$tmp/ts"; } ||
	BAIL_OUT "cannot make a directory for a tablespace"
psql_val postgres "CREATE TABLESPACE lean_ts LOCATION '$tmp/ts'" >/dev/null ||
	BAIL_OUT "cannot create a tablespace"
check "a tablespace, an access method and a collation of pg_catalog" \
	"CREATE ACCESS METHOD heap2 TYPE TABLE HANDLER heap_tableam_handler;
	CREATE TABLE placed (a text COLLATE \"C\", b integer) USING heap2 TABLESPACE lean_ts;
	CREATE INDEX placed_b ON placed (b) TABLESPACE lean_ts" 0
check "a foreign table" "CREATE FOREIGN DATA WRAPPER w; CREATE SERVER s FOREIGN DATA WRAPPER w;
	CREATE FOREIGN TABLE ft (a integer) SERVER s OPTIONS (x 'y')" 1
# The lean text is assembled on the client from rows (src/schema_lines.c):
# every part it writes itself (comments, sorted ACL items and options,
# column numbers, flags, parents, owners, view definitions) against the
# full statement's text.
psql_val postgres "CREATE ROLE \"lean, \"\"odd\"\" role\"; CREATE ROLE lean_plain" >/dev/null ||
	BAIL_OUT "cannot create roles"
check "comments on a schema, table, column, constraint and index" \
	"COMMENT ON SCHEMA public IS 'it''s public';
	CREATE TABLE c (id integer PRIMARY KEY, v text CONSTRAINT v_set CHECK (v <> ''));
	COMMENT ON TABLE c IS 'back\\slash';
	COMMENT ON COLUMN c.v IS 'a value';
	COMMENT ON CONSTRAINT v_set ON c IS 'not empty';
	COMMENT ON INDEX c_pkey IS 'the key'" 0
check "privileges of roles with odd names, on a schema, tables and columns" \
	"CREATE TABLE g (a integer, b integer);
	GRANT USAGE ON SCHEMA public TO \"lean, \"\"odd\"\" role\", lean_plain;
	GRANT SELECT ON g TO \"lean, \"\"odd\"\" role\";
	GRANT INSERT ON g TO PUBLIC;
	GRANT UPDATE (b) ON g TO lean_plain, \"lean, \"\"odd\"\" role\";
	CREATE SEQUENCE gs; GRANT USAGE ON gs TO lean_plain" 0
check "table options, column options, statistics, storage and compression" \
	"CREATE TABLE o (a integer, b text, c text) WITH (fillfactor = 70, autovacuum_enabled = false);
	ALTER TABLE o ALTER COLUMN a SET (n_distinct = 5, n_distinct_inherited = 3);
	ALTER TABLE o ALTER COLUMN c SET (n_distinct = -0.5);
	ALTER TABLE o ALTER COLUMN a SET STATISTICS 200;
	ALTER TABLE o ALTER COLUMN b SET STORAGE EXTERNAL;
	ALTER TABLE o ALTER COLUMN c SET COMPRESSION pglz" 0
check "unlogged, row security, replica identity, a clustered index" \
	"CREATE UNLOGGED TABLE u (id integer PRIMARY KEY, v integer NOT NULL);
	ALTER TABLE u ENABLE ROW LEVEL SECURITY; ALTER TABLE u FORCE ROW LEVEL SECURITY;
	ALTER TABLE u REPLICA IDENTITY FULL; ALTER TABLE u CLUSTER ON u_pkey;
	CREATE TABLE ri (id integer NOT NULL); CREATE UNIQUE INDEX ri_id ON ri (id);
	ALTER TABLE ri REPLICA IDENTITY USING INDEX ri_id" 0
check "views and a materialized view with an index" \
	"CREATE TABLE base (id integer, v text);
	CREATE VIEW recent AS SELECT id, v
		FROM base
		WHERE id > 10;
	CREATE MATERIALIZED VIEW counts AS SELECT v, count(*) AS n FROM base GROUP BY v;
	CREATE INDEX counts_v ON counts (v)" 0
check "defaults, generated and identity columns, dropped columns" \
	"CREATE TABLE d (a integer DEFAULT 7, gone integer, b integer GENERATED ALWAYS AS (a * 2) STORED,
		c timestamptz DEFAULT now(), i bigint GENERATED BY DEFAULT AS IDENTITY);
	ALTER TABLE d DROP COLUMN gone" 0
check "a partitioned table with a foreign key and a default partition" \
	"CREATE TABLE pk (id integer PRIMARY KEY);
	CREATE TABLE pf (k integer REFERENCES pk, at date) PARTITION BY RANGE (at);
	CREATE TABLE pf_2026 PARTITION OF pf FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
	CREATE TABLE pf_rest PARTITION OF pf DEFAULT" 0
check "an invalid index" "CREATE TABLE dup (a integer); INSERT INTO dup VALUES (1), (1)" 0 \
	"CREATE UNIQUE INDEX CONCURRENTLY dup_a ON dup (a)"
is "$(psql_val "$db_last" "SELECT count(*) FROM pg_index WHERE NOT indisvalid")" 1 \
	"an invalid index: there was one to describe"
# Past 250 relations the rows would cost more than the server's
# aggregation: the rows statement says so without sending them, and the
# aggregated lean statement (its marker, the same comment) describes.
db=$(fresh_db lean) || BAIL_OUT "cannot create a database"
psql_val "$db" "DO \$\$BEGIN FOR i IN 1..260 LOOP
	EXECUTE format('CREATE TABLE many_%s (a integer)', i); END LOOP; END\$\$" >/dev/null ||
	BAIL_OUT "cannot make 260 tables"
is "$(psql_val "$db" "SELECT count(*) > 250 FROM pg_class WHERE oid >= 16384")" t \
	"a large schema: more than 250 relations"
run_logged "$MIGRATE_BIN" "$db" up --to 1
is "$RC" 0 "a large schema: up applies"
is "$(grep -F -e "$LEAN" <<<"$TRIPS" | grep -cvF -e "$FULL")" 2 \
	"a large schema: the rows statement, then the aggregated lean one"
is "$(grep -F -e "$LEAN" <<<"$TRIPS" | grep -cF -e "pg_catalog.sha256")" 1 \
	"a large schema: the second is hashed on the server"
is "$(count_lines "$TRIPS" "$FULL")" 0 "a large schema: and no full one"
stored=$(psql_val "$db" "SELECT schema_hash FROM schema_migrations ORDER BY version DESC LIMIT 1")
is "$stored" "$(full_hash "$db")" "a large schema: up records the full text's hash"
psql_val "$db" "SELECT pg_catalog.pg_current_xact_id()" >/dev/null
run_cmd "$MIGRATE_BIN" -d "$(db_url "$db")" status --json
is "$(json_field "$OUT" drift)" false "a large schema: status, recomputing, sees no drift"
psql_val "$db" "DROP TABLE many_1" >/dev/null
run_cmd "$MIGRATE_BIN" -d "$(db_url "$db")" status --json
is "$(json_field "$OUT" drift)" true "a large schema: status sees a table dropped by hand"

# An empty catalog is tested by its size: one that had a row is a doubt,
# and the full statement settles it.
check "default privileges granted, then revoked" \
	"ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;
	ALTER DEFAULT PRIVILEGES REVOKE SELECT ON TABLES FROM PUBLIC" 1

done_testing
