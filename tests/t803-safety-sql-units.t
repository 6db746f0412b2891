#!/usr/bin/env bash
# t803: plain-SQL units are observed like .pgc units (SPEC 2 and 11):
# a hazard is reported at the .sql file's line, "-- migrate:accept CODE
# RELATION" accepts one, and CREATE INDEX CONCURRENTLY in a
# transaction:false unit is clean.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin safe_sql)
db=$(fresh_db safe_sql) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

hazards()
{
	json_event "$1" hazard | jq -r '"\(.version) \(.step) \(.code) \(.relation) \(.file):\(.line) \(.accepted)"'
}

run_cmd "$bin" -d "$url" up --to 1
is "$RC" 0 "the table is created"
psql_val "$db" "INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 5000) g" >/dev/null

run_cmd "$bin" -d "$url" --json up --dry-run
is "$RC" 8 "up --dry-run of the .sql units exits 8 for the unaccepted hazard"
is "$(hazards "$OUT" | grep ' up ' | sort)" "2 up blocks-writes t tests/units/safe_sql/0002_index_v.sql:3 false
3 up rewrite t tests/units/safe_sql/0003_retype_id.sql:4 true" \
	"the plain index and the accepted rewrite are reported at their .sql lines; the concurrent index is clean"
is "$(json_event "$OUT" summary | jq -c '[.hazards, .accepted_hazards]')" "[2,1]" \
	"the summary counts both, one accepted"

run_cmd "$bin" -d "$url" --json verify
is "$RC" 8 "verify exits 8 too"
like "$(hazards "$OUT")" "3 up rewrite t .*0003_retype_id.sql:4 true" "verify sees the accepted rewrite"
is "$(psql_val "$db" "SELECT count(*) FROM t")" 5000 "and the rows are still there"
is "$(psql_val "$db" "SELECT max(version) FROM schema_migrations")" 1 "nothing was applied"

run_cmd "$bin" -d "$url" up
is "$RC" 0 "a real up applies the units without observing them"
is "$(psql_val "$db" "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 't'")" \
	"t_id,t_v" "both indexes exist"

# ------------------------------------------ a malformed accept is refused
mkdir -p bad
printf -- '-- migrate:up\n-- migrate:accept rewrite\nSELECT 1;\n' >bad/0001_bad_accept.sql
build_units bad
isnt "$RC" 0 "a malformed accept line fails the build"
like "$ERR" "0001_bad_accept.sql:2: error: expected \"-- migrate:accept CODE RELATION\"" \
	"naming the file and line"

done_testing
