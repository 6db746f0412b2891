#!/usr/bin/env bash
# t540: what the runner prints: versions as their files write them, in
# columns as wide as the longest (items 11, 24), dry-run summaries (12),
# every line of a server DETAIL (22), -q on status --check (17).
. "$(dirname "$0")/lib/tap.sh"

vbin=$(set_bin cli_versions)
db=$(fresh_db versions) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

# item 24 and 11: versions as the file names write them, aligned columns
command_checks_all 0 '^up    000118         create_a +ok.*
up    000119         create_b +ok.*
up    20240101120000 create_c +ok' '^$' "up prints each version as its file writes it, in one column" \
	-- "$vbin" -d "$url" up
command_checks_all 0 '^version         name' '' "status sizes the version column to the longest version" -- "$vbin" -d "$url" status
like "$OUT" '
000118          create_a +applied' "status prints 000118, not 0118"
like "$OUT" '
20240101120000  create_c +applied' "status prints the timestamp version whole, its name in the same column"
like "$OUT" 'current version: 20240101120000' "status's current version is the file's text"
command_checks_all 0 '^20240101120000$' '^$' "version prints the version as status does" -- "$vbin" -d "$url" version
run_migrate_cmd() { run_cmd "$vbin" -d "$url" "$@"; }
run_migrate_cmd --json status
is "$(jq -r '.units[0].version' <<<"$OUT")" "118" "the JSON version stays a number"
is "$(jq -r '.units[0].version_text' <<<"$OUT")" "000118" "and version_text is the file's text"
run_migrate_cmd down --step 1
run_migrate_cmd --json up
is "$(json_event "$OUT" applied | jq -r .version_text)" "20240101120000" "applied events carry version_text"
psql_val "$db" "INSERT INTO schema_migrations (version, name, checksum, state) VALUES (7, 'gone', 'x', 'applied')" >/dev/null
run_migrate_cmd status
like "$OUT" '
7                create_|
7               gone +unknown' "a history row without a unit prints the plain number"
psql_val "$db" "DELETE FROM schema_migrations WHERE version = 7" >/dev/null

# item 12: dry runs count what they would do
run_migrate_cmd down --all
command_checks_all 0 'would-up 000118.*
dry run of up: 3 would be applied, 0 would be rolled back, 0 skipped in [0-9]+ ms; nothing was changed' '^$' \
	"up --dry-run ends with what it would have done" -- "$vbin" -d "$url" up --dry-run
unlike "$OUT" 'nothing to do' "a dry run that listed units never says nothing to do"
run_migrate_cmd --json up --dry-run
is "$(json_event "$OUT" summary | jq -r '[.would_apply, .applied] | join(",")')" "3,0" "the JSON summary of a dry run counts would_apply"
run_migrate_cmd up
run_migrate_cmd --json down --all --dry-run
is "$(json_event "$OUT" summary | jq -r '[.would_roll_back, .rolled_back] | join(",")')" "3,0" "and would_roll_back for down"
command_checks_all 0 'dry run of down: 0 would be applied, 2 would be rolled back' '^$' "down --dry-run's summary too" -- "$vbin" -d "$url" down --step 2 --dry-run

# item 17: -q quiets status --check; the exit code answers
run_migrate_cmd down --step 1
command_checks_all 3 '^$' '^$' "status --check -q prints nothing and exits 3 with a pending unit" -- "$vbin" -d "$url" status --check -q
run_migrate_cmd up
command_checks_all 0 '^$' '^$' "status --check -q prints nothing and exits 0 when all is applied" -- "$vbin" -d "$url" -q status --check

# item 22: a multi-line DETAIL is shown whole; the server's message is not labelled detail
dbin=$(set_bin cli_detail)
ddb=$(fresh_db detail) || BAIL_OUT "cannot create a database"
durl=$(db_url "$ddb")
command_checks_all 1 'up +0001' 'server: cannot drop table t because other objects depend on it \(SQLSTATE 2BP01\)
detail: view v1 depends on table t
detail: view v2 depends on table t
hint: Use DROP \.\.\. CASCADE' "every line of the DETAIL is shown, each labelled detail:" -- "$dbin" -d "$durl" up
unlike "$ERR" 'detail: cannot drop' "the server's main message is not labelled detail:"
run_cmd "$dbin" -d "$durl" --json up
is "$(json_event "$OUT" error | jq -r .detail)" "view v1 depends on table t
view v2 depends on table t" "the JSON error's detail holds every line"
is "$(json_event "$OUT" error | jq -r .server_message)" "cannot drop table t because other objects depend on it" "and server_message the main message"

done_testing
