#!/usr/bin/env bash
# t401: an applied unit whose file changed since (checksum differs) is
# "modified": status says so, up, down and redo refuse with exit 6 naming
# it before touching anything, and repair stores the binary's checksums.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_three)
db=$(fresh_db modified) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

run_cmd "$bin" -d "$url" up --to 20
is "$RC" 0 "up --to 20 applies the first two units"
psql_val "$db" "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 10"

run_cmd "$bin" -d "$url" --json status
is "$(json_field "$OUT" 'units[0].state')" modified "status shows the edited unit as modified"
is "$(json_field "$OUT" 'units[1].state')" applied "status shows the untouched unit as applied"
run_cmd "$bin" -d "$url" status --check
is "$RC" 6 "status --check exits 6 on a modified unit"

before=$(db_state "$db")
command_checks_all 6 '' 'refusing to run up: modified since applied: 0010 create_accounts' \
	"up refuses with exit 6 naming the modified unit" -- "$bin" -d "$url" up
like "$ERR" 'hint: .*migrate repair' "the refusal says how to accept a deliberate edit"
unlike "$OUT" '0030' "up did not apply the pending unit"
is "$(db_state "$db")" "$before" "the refused up left the database exactly as it was"

command_checks_all 6 '' 'refusing to run down: modified since applied: 0010 create_accounts' \
	"down refuses with exit 6 although the unit it would roll back is not the modified one" \
	-- "$bin" -d "$url" down
is "$(db_state "$db")" "$before" "the refused down left the database exactly as it was"

command_checks_all 6 '' 'modified since applied: 0010 create_accounts' \
	"redo refuses with exit 6 naming the modified unit" -- "$bin" -d "$url" redo
is "$(db_state "$db")" "$before" "the refused redo left the database exactly as it was"

run_cmd "$bin" -d "$url" --json up
is "$RC" 6 "up --json exits 6 too"
is "$(json_event "$OUT" error | jq -r .exit_code)" 6 "the JSON error object carries exit code 6"
like "$(json_event "$OUT" error | jq -r .message)" '0010 create_accounts' "the JSON error names the unit"
is "$(db_state "$db")" "$before" "the refused JSON up left the database exactly as it was"

command_checks_all 0 '^repair 0010 create_accounts +checksum updated' '^$' \
	"repair stores the binary's checksum for the modified unit" -- "$bin" -d "$url" repair
run_cmd "$bin" -d "$url" --json status
want=$(json_field "$OUT" 'units[0].checksum')
is "$(psql_val "$db" "SELECT checksum FROM schema_migrations WHERE version = 10")" "$want" \
	"the stored checksum is now the binary's"
is "$(json_field "$OUT" 'units[0].state')" applied "status shows the unit as applied again"
is "$(psql_val "$db" "SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'")" 1 \
	"repair ran no unit and dropped nothing"
command_checks_all 0 '^nothing to repair' '^$' "a second repair has nothing to do" \
	-- "$bin" -d "$url" repair
command_checks_all 0 '^up +0030 create_rooms +ok' '^$' "after repair up goes on" \
	-- "$bin" -d "$url" up

# The same, the way it happens in practice: another build applied a unit
# with the same version but different file contents.
db2=$(fresh_db modified2) || BAIL_OUT "cannot create a database"
url2=$(db_url "$db2")
run_cmd "$(set_bin guard_irrev)" -d "$url2" up --to 1
is "$RC" 0 "a build whose unit 1 differs applies it"
psql_val "$db2" "UPDATE schema_migrations SET version = 10 WHERE version = 1"
run_cmd "$bin" -d "$url2" --json status
is "$(json_field "$OUT" 'units[0].state')" modified "this build sees version 10 as modified"
before=$(db_state "$db2")
command_checks_all 6 '' 'modified since applied: 0010 create_accounts' \
	"up with the other build refuses with exit 6" -- "$bin" -d "$url2" up
is "$(db_state "$db2")" "$before" "the refused up left that database exactly as it was"
run_cmd "$bin" -d "$url2" --json repair
is "$RC" 0 "repair accepts the other build's unit"
is "$(json_event "$OUT" repaired | jq -r .version)" 10 "the JSON repaired event names the version"
is "$(json_event "$OUT" summary | jq -r .repaired)" 1 "the JSON summary counts one repaired row"

done_testing
