#!/usr/bin/env bash
# t712: import --adopt refuses (exit 6) while the source records a dirty
# or failed migration, when an applied version has no imported unit, when
# this runner's history already has rows, and when the tables are not what
# the format says; every refusal leaves the database (tables and rows)
# and the migrations directory exactly as they were (SPEC 12).
. "$(dirname "$0")/lib/tap.sh"

dump() {
	pg_dump --no-owner -d "$1" 2>&1 | grep -v -e '^\\restrict ' -e '^\\unrestrict '
}
printf 'migrations_dir: units\n' >migrate.yaml

golang='CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)'
dbmate='create table if not exists public.schema_migrations (version varchar(255) primary key)'
goose='CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL,
	tstamp timestamp NULL default now(), PRIMARY KEY(id))'
flyway='CREATE TABLE "public"."flyway_schema_history" ("installed_rank" INT NOT NULL, "version" VARCHAR(50),
	"description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL,
	"checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
	"execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)'
diesel='CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL,
	run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)'

# refused FORMAT SQL STDERR-PATTERN NAME: adopting after SQL is refused with exit 6
refused() {
	local format=$1 sql=$2 pattern=$3 name=$4 db before
	db=$(fresh_db) || BAIL_OUT "cannot create a database"
	psql_val "$db" "$sql" >/dev/null
	before=$(dump "$db")
	command_checks_all 6 '' "$pattern" "$name (exit 6)" \
		-- "$MIGRATE_BIN" -d "$(db_url "$db")" import --from "$format" "$MIGRATE_ROOT/tests/import/$format" --adopt
	like "$ERR" "refusing to adopt $format's history: nothing was changed" "$name: says nothing changed"
	is "$(dump "$db")" "$before" "$name: the database is as it was"
	ok "$name: nothing was written to migrations/" test ! -e units
}

refused golang-migrate "$golang; INSERT INTO schema_migrations VALUES (3, true)" \
	'detail: public.schema_migrations records version 3 as dirty' "golang-migrate: a dirty version is refused"
like "$ERR" "hint: golang-migrate marks the version it failed in as dirty" "golang-migrate: the hint says what to do"
refused golang-migrate "$golang; INSERT INTO schema_migrations VALUES (-1, true)" \
	'records version -1 as dirty' "golang-migrate: a dirty nil version (a failed first down) is refused"
refused golang-migrate "$golang; INSERT INTO schema_migrations VALUES (9, false)" \
	'records version 9 as applied, and no imported unit has it' "golang-migrate: a version without a unit is refused"
refused flyway "$flyway; INSERT INTO flyway_schema_history VALUES
	(1, '1', 'create users', 'SQL', 'V1__Create_users.sql', 1, 'me', now(), 5, true),
	(2, '2', 'users login index', 'SQL', 'V2__users_login_index.sql', 2, 'me', now(), 5, false)" \
	'records a failed migration: 2' "flyway: a failed migration is refused"
like "$ERR" 'hint: .*flyway repair' "flyway: the hint names flyway repair"
refused dbmate "$dbmate; INSERT INTO schema_migrations VALUES ('20240101000001'), ('20240101000009')" \
	'records version 20240101000009 as applied, and no imported unit has it' "dbmate: a version without a unit is refused"
refused goose "$goose; INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true), (7, true)" \
	'records version 7 as applied' "goose: a version without a unit is refused"
refused diesel "$diesel; INSERT INTO __diesel_schema_migrations (version) VALUES ('00000000000000');
	CREATE TABLE schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
		state text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), applied_by text NOT NULL DEFAULT current_user,
		duration_ms integer NOT NULL DEFAULT 0, schema_hash text, owner text);
	INSERT INTO schema_migrations (version, name, checksum, state) VALUES (5, 'x', 'y', 'applied')" \
	'the history table public.schema_migrations already has 1 row' "diesel: a history of this runner's with rows is refused"
refused golang-migrate "$dbmate; INSERT INTO schema_migrations VALUES ('1')" \
	"public.schema_migrations is not golang-migrate's history table: its columns \(version\) are dbmate" \
	"golang-migrate: dbmate's table is not taken for golang-migrate's"
refused goose "SELECT 1" 'there is no goose history: public.goose_db_version does not exist' \
	"goose: a missing goose_db_version is refused"
refused goose "$goose; $dbmate" "the history table public.schema_migrations has dbmate's columns" \
	"goose: a dbmate schema_migrations in the way is refused"
refused golang-migrate "$golang; INSERT INTO schema_migrations VALUES (1, false);
	CREATE TABLE schema_migrations_golang_migrate (x int)" \
	'cannot be moved aside: public.schema_migrations_golang_migrate already exists' \
	"golang-migrate: a taken aside name is refused"

# the files are checked before the database is touched: exit 2, no change
db=$(fresh_db) || BAIL_OUT "cannot create a database"
psql_val "$db" "$golang; INSERT INTO schema_migrations VALUES (1, false)" >/dev/null
before=$(dump "$db")
mkdir units
printf -- '-- migrate:up\nSELECT 1;\n' >units/1_other.sql
command_checks_all 2 '' 'units/1_other\.sql: a unit with version 1 is already there' \
	"a unit file in the way refuses the import before the database (exit 2)" \
	-- "$MIGRATE_BIN" -d "$(db_url "$db")" import --from golang-migrate "$MIGRATE_ROOT/tests/import/golang-migrate" --adopt
is "$(dump "$db")" "$before" "and the database is as it was"
is "$(ls units)" "1_other.sql" "and nothing was written"

done_testing
