#!/usr/bin/env bash
# t140: help, --version, usage errors, and "new" writing units.
. "$(dirname "$0")/lib/tap.sh"

command_checks_all 0 'Usage:' '^$' "--help prints usage on stdout and exits 0" -- "$MIGRATE_BIN" --help
like "$OUT" 'Connection options:' "--help has a connection options section"
like "$OUT" 'Exit codes:' "--help lists the exit codes"
command_checks_all 0 '^migrate [0-9]+\.[0-9]+\.[0-9]+$' '^$' "--version prints the version" -- "$MIGRATE_BIN" --version
command_checks_all 2 '^$' 'unknown command "frobnicate".*Try "migrate --help"' "an unknown command exits 2" -- "$MIGRATE_BIN" frobnicate
command_checks_all 2 'Usage:' '' "no command prints usage and exits 2" -- "$MIGRATE_BIN"

for cmd in up down redo status version new baseline verify repair schema create-db drop-db help; do
	command_checks_all 0 "Usage:.*migrate \\[OPTIONS\\] $cmd" '^$' "$cmd --help prints the command's usage" -- "$MIGRATE_BIN" "$cmd" --help
done
command_checks_all 0 'Command options:.*--single-transaction' '^$' "help up lists up's options" -- "$MIGRATE_BIN" help up
command_checks_all 0 'down \[--step N \| --to V \| --all\] \[--dry-run\] \[--single-transaction\].*Command options:.*--single-transaction +roll back every selected unit in one transaction' '^$' \
	"help down lists down's options, --single-transaction included" -- "$MIGRATE_BIN" help down
command_checks_all 2 '^$' 'unknown command "nope"' "help of an unknown command exits 2" -- "$MIGRATE_BIN" help nope
command_checks_all 2 '^$' 'option -d needs a value' "a global option without its value exits 2" -- "$MIGRATE_BIN" status -d
for cmd in up down redo status; do
	command_checks_all 2 '^$' 'Try "migrate --help"' "$cmd with an unknown option exits 2" -- "$MIGRATE_BIN" "$cmd" --no-such-option
done
command_checks_all 2 '^$' 'unknown or incomplete option "--no-such-option" for down' \
	"the unknown option's error names the command" -- "$MIGRATE_BIN" down --no-such-option
command_checks_all 2 '^$' 'invalid value "x" for --step' "--step with a non-number exits 2" -- "$MIGRATE_BIN" up --step x

unset DATABASE_URL
command_checks_all 2 '^$' 'no database given' "up without a database exits 2 and says how to give one" -- "$MIGRATE_BIN" up

command_checks_all 0 '^migrations/[0-9]{14}_add_thing\.pgc$' 'numbered by UTC timestamp' "new writes a timestamped unit in an empty directory and prints its path" -- "$MIGRATE_BIN" new add_thing
file=$OUT
ok "the new unit exists" test -f "$file"
like "$(cat "$file")" 'EXEC SQL INCLUDE migrate_unit;' "the template includes the unit header"
like "$(cat "$file")" 'MIGRATE_UNIT\(up, down, 0\);' "the template exports both steps"
ts=${file#migrations/}
ts=${ts%%_*}
now=$(date -u +%Y%m%d%H%M%S)
ok "the version is the current UTC time" test $((now - ts)) -lt 120
command_checks_all 2 '^$' 'cannot number sequentially after the timestamp version' \
	"new --seq after a timestamp unit is refused rather than giving a timestamp-like number" -- "$MIGRATE_BIN" new --seq first
command_checks_all 0 '^migrations/[0-9]{14}_second_thing\.pgc$' 'numbered by UTC timestamp \(as the units' "new follows the timestamps already there" -- "$MIGRATE_BIN" new second_thing
rm -f migrations/*
command_checks_all 0 '^migrations/0001_first\.pgc$' 'numbered sequentially \(as asked\)' "new --seq in an empty directory starts at 0001" -- "$MIGRATE_BIN" new first --seq
command_checks_all 0 '^migrations/0002_second\.pgc$' 'numbered sequentially \(as the units' "new after sequential units numbers sequentially, padded to four digits" -- "$MIGRATE_BIN" new second
command_checks_all 0 '^migrations/[0-9]{14}_third\.pgc$' '' "new --timestamp gives a timestamp even after sequential units" -- "$MIGRATE_BIN" new third --timestamp
rm -f "$OUT"
touch migrations/000117_six_digits.pgc
command_checks_all 0 '^migrations/000118_wide\.pgc$' '' "new keeps the width of the highest version (000118 after 000117)" -- "$MIGRATE_BIN" -q new wide
is "$ERR" "" "-q leaves out the note on the numbering"
rm -f migrations/000117_six_digits.pgc migrations/000118_wide.pgc
run_migrate --json new fourth
is "$(json_event "$OUT" created | jq -r .numbering)" "sequential" "the JSON created event says which numbering was chosen"
is "$(json_event "$OUT" summary | jq -r .exit_code)" "0" "and the run ends with a summary"
rm -f migrations/0003_fourth.pgc
command_checks_all 2 '^$' 'invalid unit name "Bad-Name"' "new refuses a name outside [a-z0-9_]" -- "$MIGRATE_BIN" new Bad-Name
command_checks_all 2 '^$' 'new takes one NAME' "new without a name exits 2" -- "$MIGRATE_BIN" new

# the template builds as it is, and the binary applies and rolls it back
build_units migrations -s
is "$RC" "0" "units written by new build as they are"
db=$(fresh_db newunit) || BAIL_OUT "cannot create a database"
command_checks_all 0 'up +0002 second +ok' '' "the built template units apply" -- ./out-migrations/migrate -d "$(db_url "$db")" up
command_checks_all 0 'down +0001 first +ok' '' "the built template units roll back" -- ./out-migrations/migrate -d "$(db_url "$db")" down --all

done_testing
