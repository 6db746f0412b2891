#!/usr/bin/env bash
# t711: import --from FORMAT DIR --adopt for golang-migrate, dbmate, goose,
# flyway and diesel (SPEC 12).  Each database was migrated by psql
# running the source ups (as the tool would) and holds the tool's history
# table, created and filled with the SQL the tool itself runs.  Adopting
# records the applied versions as baseline (one transaction), moves a
# schema_migrations of golang-migrate or dbmate aside, leaves the other
# tools' tables alone; status then shows the units as baseline, and up
# runs only what the source had not applied.
. "$(dirname "$0")/lib/tap.sh"

build() { build_units "$@"; }
psql_file() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$(db_url "$1")" -f "$2" >/dev/null
}
section() { # dbmate's and goose's up sections
	awk 'tolower($0) ~ /^-- (migrate:|\+goose )up/ { on = 1; next }
		tolower($0) ~ /^-- (migrate:|\+goose )down/ { on = 0; next } on' "$1"
}
# psql runs the first $3 source ups of format $1 on database $2
run_ups() {
	local f files
	case $1 in
	golang-migrate) files=("$src"/*.up.sql) ;;
	dbmate | goose) files=("$src"/*.sql) ;;
	flyway) files=("$src"/V*.sql) ;;
	diesel) files=("$src"/*/up.sql) ;;
	esac
	for f in "${files[@]:0:$3}"; do
		case $1 in
		dbmate | goose) section "$f" >up.sql && psql_file "$2" up.sql ;;
		*) psql_file "$2" "$f" ;;
		esac
	done
}

# Each tool's history table as the tool creates it on PostgreSQL, and the
# rows it writes for the first three migrations (diesel: the setup and three).
history_sql() {
	case $1 in
	golang-migrate) # database/postgres/postgres.go: ensureVersionTable, SetVersion
		echo 'CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null);
			TRUNCATE "public"."schema_migrations";
			INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (3, false)' ;;
	dbmate) # pkg/driver/postgres/postgres.go: CreateMigrationsTable, InsertMigration
		echo 'create table if not exists public.schema_migrations (version varchar(255) primary key);
			insert into public.schema_migrations (version) values ('\''20240101000001'\'');
			insert into public.schema_migrations (version) values ('\''20240101000002'\'');
			insert into public.schema_migrations (version) values ('\''20240101000003'\'')' ;;
	goose) # internal/dialect/dialectquery/postgres.go: CreateTable, InsertVersion;
		# 4 was applied, then rolled back by a goose that records downs as rows
		echo 'CREATE TABLE goose_db_version (
				id serial NOT NULL,
				version_id bigint NOT NULL,
				is_applied boolean NOT NULL,
				tstamp timestamp NULL default now(),
				PRIMARY KEY(id)
			);
			INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true), (1, true),
				(2, true), (3, true), (4, true), (4, false)' ;;
	flyway) # flyway-core .../postgresql/createMetaDataTable.sql; a baseline at 1
		echo 'CREATE TABLE "public"."flyway_schema_history" (
			    "installed_rank" INT NOT NULL,
			    "version" VARCHAR(50),
			    "description" VARCHAR(200) NOT NULL,
			    "type" VARCHAR(20) NOT NULL,
			    "script" VARCHAR(1000) NOT NULL,
			    "checksum" INTEGER,
			    "installed_by" VARCHAR(100) NOT NULL,
			    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
			    "execution_time" INTEGER NOT NULL,
			    "success" BOOLEAN NOT NULL
			);
			ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
			CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");
			INSERT INTO flyway_schema_history VALUES
				(1, '\''1'\'', '\''<< Flyway Baseline >>'\'', '\''BASELINE'\'', '\''<< Flyway Baseline >>'\'', NULL, '\''me'\'', now(), 0, true),
				(2, '\''2'\'', '\''users login index'\'', '\''SQL'\'', '\''V2__users_login_index.sql'\'', 123, '\''me'\'', now(), 5, true),
				(3, '\''3'\'', '\''more moods'\'', '\''SQL'\'', '\''V3__more_moods.sql'\'', 456, '\''me'\'', now(), 5, true)' ;;
	diesel) # diesel_migrations/src/migration/setup_migration_table.sql
		echo 'CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
			       version VARCHAR(50) PRIMARY KEY NOT NULL,
			       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
			);
			INSERT INTO __diesel_schema_migrations (version) VALUES ('\''00000000000000'\''),
				('\''20240101000001'\''), ('\''20240101000002'\''), ('\''20240101000003'\'')' ;;
	esac
}
source_table() {
	case $1 in
	golang-migrate | dbmate) echo schema_migrations ;;
	goose) echo goose_db_version ;;
	flyway) echo flyway_schema_history ;;
	diesel) echo __diesel_schema_migrations ;;
	esac
}

for format in golang-migrate dbmate goose flyway diesel; do
	src=$MIGRATE_ROOT/tests/import/$format
	units=units-$format
	k=3 n=4
	[ "$format" = diesel ] && k=4 n=5
	db=$(fresh_db) || BAIL_OUT "cannot create a database"
	url=$(db_url "$db")
	run_ups "$format" "$db" "$k"
	psql_val "$db" "$(history_sql "$format")" >/dev/null
	before_rows=$(psql_val "$db" "SELECT count(*) FROM $(source_table "$format")")
	printf 'migrations_dir: %s\n' "$units" >migrate.yaml

	command_checks_all 0 "adopt: $k versions of $format's history recorded as baseline, none run" '' \
		"$format: import --adopt takes the history over" \
		-- "$MIGRATE_BIN" -d "$url" import --from "$format" "$src" --adopt
	like "$OUT" "import: $n written, 0 unchanged" "$format: and writes the $n units"
	is "$(psql_val "$db" "SELECT string_agg(state, ',' ORDER BY version) FROM public.schema_migrations")" \
		"$(printf 'baseline%.0s,' $(seq "$k") | sed 's/,$//')" "$format: the history table has $k baseline rows"
	is "$(psql_val "$db" "SELECT count(*) FROM public.schema_migrations WHERE schema_hash IS NOT NULL")" 1 \
		"$format: the newest carries the schema's fingerprint"
	case $format in
	golang-migrate | dbmate)
		aside=schema_migrations_${format//-/_}
		is "$(psql_val "$db" "SELECT count(*) FROM public.$aside")" "$before_rows" \
			"$format: its schema_migrations was moved aside to $aside, rows and all"
		like "$ERR" "schema_migrations was moved aside to public.$aside" "$format: and says so"
		;;
	*)
		is "$(psql_val "$db" "SELECT count(*) FROM $(source_table "$format")")" "$before_rows" \
			"$format: its $(source_table "$format") is left alone"
		;;
	esac

	build "$units"
	is "$RC" "0" "$format: the imported units build" || diag "$ERR"
	run_cmd "out-$units/migrate" -d "$url" --json status
	is "$RC" 0 "$format: status runs on the adopted history"
	is "$(jq -r 'select(.units) | [.units[].state] | join(",")' <<<"$OUT")" \
		"$(printf 'baseline%.0s,' $(seq "$k"))pending" "$format: status shows the units as baseline, the last pending"
	is "$(jq -r 'select(.units) | .drift' <<<"$OUT")" false "$format: and no drift"
	command_checks_all 0 'up +[0-9]*4 view_and_fix +ok' '' "$format: up runs only the unit the source had not applied" \
		-- "out-$units/migrate" -d "$url" up
	unlike "$OUT" 'create_users|more_moods' "$format: nothing adopted ran again"
	is "$(psql_val "$db" "SELECT city FROM user_cities")" "Oslo" "$format: the last unit ran"
done

# a Flyway baseline need not be a migration's own version: it covers all below
db=$(fresh_db) || BAIL_OUT "cannot create a database"
psql_val "$db" "$(history_sql flyway | sed -n '1,/CREATE INDEX/p')
	INSERT INTO flyway_schema_history VALUES (1, '5', '<< Flyway Baseline >>', 'BASELINE',
		'<< Flyway Baseline >>', NULL, 'me', now(), 0, true)" >/dev/null
printf 'migrations_dir: units-fw5\n' >migrate.yaml
command_checks_all 0 "adopt: 4 versions of flyway's history recorded as baseline" '' \
	"flyway: a baseline at version 5 (no migration of its own) covers 1 to 4" \
	-- "$MIGRATE_BIN" -d "$(db_url "$db")" import --from flyway "$MIGRATE_ROOT/tests/import/flyway" --adopt

# --json: one JSON object a line, the baseline rows as unit events, the count in the summary
db=$(fresh_db) || BAIL_OUT "cannot create a database"
psql_val "$db" "$(history_sql dbmate)" >/dev/null
printf 'migrations_dir: units-json\n' >migrate.yaml
run_cmd "$MIGRATE_BIN" -d "$(db_url "$db")" --json import --from dbmate "$MIGRATE_ROOT/tests/import/dbmate" --adopt
is "$RC" 0 "--json: adopt succeeds"
ok "--json: every line of stdout is JSON" jq -e . <<<"$OUT"
is "$(jq -r 'select(.event == "summary") | .baselined' <<<"$OUT")" 3 "--json: the summary counts 3 baseline rows"
is "$(jq -r 'select(.event == "created") | .path' <<<"$OUT" | wc -l)" 4 "--json: and lists the 4 files created"

done_testing
