#!/usr/bin/env bash
# t510: verify proves each down undoes its up inside a transaction that is
# always rolled back, and names the first difference of a broken one.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin verify)
db=$(fresh_db verify) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
snapshot() {
	pg_dump --schema-only "$url" | grep -v '^\\\(un\)\?restrict '
	psql_val "$db" "SELECT version, name, checksum, state, applied_at, schema_hash FROM schema_migrations ORDER BY version" 2>/dev/null
}

before=$(snapshot)
command_checks_all 7 'verify 0002 forgets_index +broken' '^$' "verify exits 7 when a down does not restore the schema" -- "$bin" -d "$url" verify
like "$OUT" 'verify 0001 good +reversible' "a down that undoes its up is reversible"
like "$OUT" 'did not restore the schema: 1 line of the canonical text differs' "a broken unit says how many lines of the canonical text differ"
like "$OUT" $'\n       \\+ index public\\.things things_label_upper CREATE INDEX' "and shows the line its down left over, naming the object, as a + line"
unlike "$OUT" 'before up:|after down:' "not the first shifted line of the text"
like "$OUT" 'verify 0003 one_way +irreversible' "a declared irreversible unit is reported as such"
like "$OUT" 'verify 0004 concurrent_index +skipped' "a no-transaction unit is skipped"
like "$OUT" 'verify 0005 uses_things +reversible' "a later unit sees the units before it"
like "$OUT" 'verify 0006 down_fails +broken' "a unit whose down fails is broken"
like "$OUT" 'the down step failed: table "scratch_misspelled" does not exist \(SQLSTATE 42P01\), at tests/units/verify/0006_down_fails.pgc:17' "the verdict gives the down step's error and its file and line"
like "$OUT" '2 reversible, 1 irreversible, 1 skipped, 2 broken' "verify ends with a count of each result"
is "$(snapshot)" "$before" "verify leaves the database exactly as it was (no history table either)"

run_cmd "$bin" -d "$url" verify --json
is "$RC" "7" "verify --json exits 7 too"
is "$(json_event "$OUT" verified | jq -r '.result' | paste -sd, -)" "reversible,broken,irreversible,skipped,reversible,broken" "one verified event per unit, in version order"
is "$(json_event "$OUT" verified | jq -r 'select(.version == 2) | .difference | join("|")')" "+ index public.things things_label_upper CREATE INDEX things_label_upper ON public.things USING btree (upper(label))" "the broken event carries the difference as +/- lines"
is "$(json_event "$OUT" verified | jq -r 'select(.version == 2) | .differing_lines')" "1" "and how many lines differ"
like "$(json_event "$OUT" verified | jq -r 'select(.version == 6) | .reason')" 'the down step failed: .*SQLSTATE 42P01' "a failed down step's error is the reason"
is "$(json_event "$OUT" summary | jq -r '.broken, .exit_code' | paste -sd, -)" "2,7" "the summary counts the broken units and carries exit code 7"

run_cmd "$bin" -d "$url" up --to 1
is "$RC" "0" "the first unit applies"
before=$(snapshot)
run_cmd "$bin" -d "$url" verify
is "$RC" "7" "verify of the pending units still finds the broken one"
unlike "$OUT" 'verify 0001' "verify without --all checks only pending units"
is "$(snapshot)" "$before" "verify leaves schema and history rows exactly as they were"

run_cmd "$bin" -d "$url" up
is "$RC" "0" "every unit applies, the irreversible 0003 included"
before=$(snapshot)
run_cmd "$bin" -d "$url" verify --all --json
is "$RC" "7" "verify --all with an irreversible unit applied is not refused: no down has to run first"
is "$(json_event "$OUT" verified | jq -r '.result' | paste -sd, -)" "reversible,broken,irreversible,skipped,reversible,broken" "the same verdicts as from an empty database"
is "$(snapshot)" "$before" "and nothing changed"

red7=$(fresh_db verifyred7) || BAIL_OUT "cannot create a database"
run_migrate -d "$(db_url "$red7")" up --to 3
is "$RC" "0" "three Red7 units apply"
url=$(db_url "$red7")
db=$red7
before=$(snapshot)
command_checks_all 0 'verify 0005 create_game_rooms +reversible' '^$' "every Red7 unit verifies as reversible" -- "$MIGRATE_BIN" -d "$url" verify --all
like "$OUT" '[0-9]+ reversible, 0 irreversible, [0-9]+ skipped, 0 broken, 0 untestable, 0 failed' "verify --all checks every Red7 unit: none broken"
like "$OUT" 'verify 0001 create_users +reversible' "from the first"
is "$(snapshot)" "$before" "verify --all rolls everything back: schema and history rows as before"

cat >migrate.yaml <<YAML
database_url: $url
protected: true
YAML
command_checks_all 2 '^$' 'verify --all.*protected' "verify --all is refused on a protected environment" -- "$MIGRATE_BIN" verify --all
command_checks_all 0 'verify 0001 create_users +reversible' '' "verify --all --force runs on a protected environment" -- "$MIGRATE_BIN" verify --all --force
command_checks_all 0 '^verify 0004 create_achievements +reversible' '' "plain verify is allowed on a protected environment" -- "$MIGRATE_BIN" verify
unlike "$OUT" 'verify 0003' "and verifies the pending units only"
is "$(snapshot)" "$before" "nothing changed on the protected database"

done_testing
