#!/usr/bin/env bash
# t710: a schema_migrations of another tool's shape (golang-migrate's,
# dbmate's, created with the SQL each tool runs) is never taken for this
# runner's history table: every command that reads the history refuses it
# with exit 6, names the tool and changes nothing (SPEC 12).
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin guard_three)
dump() {
	pg_dump --no-owner -d "$1" 2>&1 | grep -v -e '^\\restrict ' -e '^\\unrestrict '
}

# golang-migrate, database/postgres/postgres.go (ensureVersionTable, SetVersion)
golang_sql='CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null);
	INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (20, false)'
# dbmate, pkg/driver/postgres/postgres.go (CreateMigrationsTable, InsertMigration)
dbmate_sql='create table if not exists public.schema_migrations (version varchar(255) primary key);
	insert into public.schema_migrations (version) values (10), (20)'

for tool in golang-migrate dbmate; do
	db=$(fresh_db) || BAIL_OUT "cannot create a database"
	url=$(db_url "$db")
	if [ $tool = golang-migrate ]; then sql=$golang_sql; else sql=$dbmate_sql; fi
	psql_val "$db" "$sql" >/dev/null
	before=$(dump "$db")
	for cmd in status "status --check" version up down redo verify "baseline 10" repair; do
		# shellcheck disable=SC2086
		command_checks_all 6 '' "the history table public.schema_migrations is not this runner's: its columns \(.*\) are $tool's" \
			"$tool: $cmd refuses the foreign history table with exit 6, naming the tool" \
			-- "$bin" -d "$url" $cmd
		like "$ERR" "hint: \"migrate import --from $tool DIR --adopt\" takes its history over" \
			"$tool: $cmd hints at import --adopt"
	done
	run_cmd "$bin" -d "$url" --json status
	is "$RC" 6 "$tool: status --json refuses too"
	is "$(json_event "$OUT" error | jq -r .exit_code 2>/dev/null)" 6 "$tool: with the error event's exit code 6"
	is "$(dump "$db")" "$before" "$tool: the refusals left the database (tables and rows) as it was"
done

# a table of no known tool's shape is refused as well
db=$(fresh_db) || BAIL_OUT "cannot create a database"
psql_val "$db" "CREATE TABLE schema_migrations (id int, applied text)" >/dev/null
command_checks_all 6 '' "its columns \(id applied\) are another tool" \
	"a history table of unknown shape is refused (exit 6)" -- "$bin" -d "$(db_url "$db")" up

done_testing
