#!/usr/bin/env bash
# t570: with --json every run ends with exactly one summary (item 16), and
# the smaller items of issue 10's item 19.
. "$(dirname "$0")/lib/tap.sh"

db=$(fresh_db jsonsmall) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
summaries() { grep -c '"event":"summary"' <<<"$1"; }
all_json() { jq -e . >/dev/null <<<"$1"; }

# item 16: one summary object, whatever happened
run_migrate --json up --bogus
is "$RC" "2" "--json up --bogus exits 2"
is "$(summaries "$OUT")" "1" "and prints exactly one summary"
ok "stdout is only JSON" all_json "$OUT"
like "$(json_event "$OUT" error | jq -r .message)" 'unknown or incomplete option "--bogus" for up' "the error object holds the usage error"
run_migrate --json bogus
is "$(summaries "$OUT")" "1" "an unknown command with --json ends with one summary"
run_migrate --json
is "$RC" "2" "--json without a command exits 2"
is "$(summaries "$OUT")" "1" "and ends with one summary, no usage text on stdout"
ok "stdout is only JSON then too" all_json "$OUT"
run_migrate --json help up
unlike "$OUT" '"event"' "help with --json prints its text only, no JSON"
run_migrate --json -d "postgresql://postgres@127.0.0.1:1/x" --lock-timeout 1s status
is "$RC" "5" "a connection failure exits 5"
is "$(json_event "$OUT" error | jq -r .exit_code),$(json_event "$OUT" summary | jq -r .exit_code)" "5,5" "with an error object and a summary"
printf 'lock_timeout: 5\n' >bad.yaml
run_migrate --json -c bad.yaml status
is "$(json_event "$OUT" error | jq -r .message)" 'bad.yaml:1:15: invalid duration "5" for lock_timeout: use ms, s, min or h, or 0 for no limit' \
	"a configuration error's JSON message is the located one"
is "$(summaries "$OUT")" "1" "and the run ends with one summary"
rm -f bad.yaml
run_migrate --json -d "$url" status
is "$(summaries "$OUT")" "1" "status --json prints one object, the summary"
nunits=$(ls "$MIGRATE_ROOT"/migrations | grep -c '^[0-9][0-9]*_[a-z0-9_]*\.\(pgc\|sql\)$')
is "$(jq -r '[.command, .current_version, (.units | length)] | join(",")' <<<"$OUT")" "status,0,$nunits" "holding status's result"
run_migrate --json -d "$url" version
is "$(jq -r '[.event, .current_version] | join(",")' <<<"$OUT")" "summary,0" "version --json is the summary with current_version"
run_migrate --json -d "$url" schema
is "$(jq -r '.event' <<<"$OUT"),$(jq -r '.hash | length' <<<"$OUT")" "summary,64" "schema --json is the summary with the hash"

# item 19: up with an applied unit unknown to the binary: exit 0, a labelled warning
run_migrate -d "$url" up --step 3
psql_val "$db" "INSERT INTO schema_migrations (version, name, checksum, state) VALUES (9999, 'from_elsewhere', 'x', 'applied')" >/dev/null
command_checks_all 0 'up +0004' '^migrate: warning: version 9999 \(from_elsewhere\) is applied but unknown to this binary' \
	"up applies what is pending and labels the unknown version as a warning" -- "$MIGRATE_BIN" -d "$url" up --step 1 --out-of-order
run_migrate -d "$url" --json up --out-of-order
is "$(json_event "$OUT" warning | jq -r .message)" "version 9999 (from_elsewhere) is applied but unknown to this binary" "with --json it is a warning event"
command_checks_all 6 '' '' "status --check exits 6 for the unknown version" -- "$MIGRATE_BIN" -d "$url" -q status --check
psql_val "$db" "DELETE FROM schema_migrations WHERE version = 9999" >/dev/null

# item 19: redo's refusal names redo
psql_val "$db" "UPDATE schema_migrations SET checksum = 'x' WHERE version = 5" >/dev/null
command_checks_all 6 '' 'refusing to redo: modified since applied: 0005 create_game_rooms' \
	"a refused redo says redo, not run down" -- "$MIGRATE_BIN" -d "$url" redo
unlike "$ERR" 'refusing to run down' "and never 'refusing to run down'"
run_migrate -d "$url" repair

# item 19: verify's JSON summary has one count of skipped units
vbin=$(set_bin verify)
vdb=$(fresh_db jsonverify) || BAIL_OUT "cannot create a database"
run_cmd "$vbin" -d "$(db_url "$vdb")" --json verify
is "$(json_event "$OUT" summary | jq -r 'has("skipped"), has("skipped_units")' | paste -sd, -)" "false,true" \
	"the verify summary has skipped_units only, not skipped too"

# item 19: the README's example migrate.yaml is the shipped one
readme_yaml=$(awk '/^```yaml$/ { n++; if (n == 1) { on = 1; next } } on && /^```$/ { exit } on' "$MIGRATE_ROOT/README.md")
is "$readme_yaml" "$(cat "$MIGRATE_ROOT/migrate.yaml")" "the README's example migrate.yaml equals the shipped one"

done_testing
