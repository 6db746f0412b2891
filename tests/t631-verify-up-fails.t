#!/usr/bin/env bash
# t631: a unit whose up step fails during verify is `failed`, never
# `irreversible` or another state it does not have (issue 10 item 14);
# verify goes on with the units after it and exits 1, as a failed unit
# does (SPEC 8 and 10).
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin ver_upfail)
db=$(fresh_db verify_upfail) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

command_checks_all 1 'verify 0002 one_way_fails +failed' '^$' "verify exits 1 when an up step fails" -- "$bin" -d "$url" verify
unlike "$OUT" 'one_way_fails +irreversible' "a declared irreversible unit whose up fails is not called irreversible"
like "$OUT" $'\n       the up step failed: column "missing_column" does not exist \\(SQLSTATE 42703\\), at tests/units/ver_upfail/0002_one_way_fails.pgc:10' \
	"the verdict gives the up step's error, file and line"
like "$OUT" 'verify 0003 up_fails +failed' "a reversible unit whose up fails is failed, not broken"
like "$OUT" 'verify 0004 after +reversible' "the units after a failed one are still verified"
like "$OUT" '3 reversible, 1 irreversible, 0 skipped, 0 broken, 1 untestable, 2 failed' "the summary counts the failed units"

run_cmd "$bin" -d "$url" verify --all --json
is "$RC" 1 "verify --all --json exits 1 too"
is "$(json_event "$OUT" verified | jq -r '.result' | paste -sd, -)" "reversible,failed,failed,reversible,reversible,irreversible,untestable" "one verified event per unit"
like "$(json_event "$OUT" verified | jq -r 'select(.version == 3) | .reason')" 'the up step failed: relation "nowhere" does not exist \(SQLSTATE 42P01\)' "the failed event carries the reason"
like "$(json_event "$OUT" verified | jq -r 'select(.version == 7) | .reason')" 'the up step failed only because verify runs it in the same transaction.*SQLSTATE 55P04' "an up step that uses an enum value added by the unit before it is untestable, not failed"
is "$(json_event "$OUT" summary | jq -r '[.failed, .irreversible, .untestable, .exit_code] | join(",")')" "2,1,1,1" "the summary counts failed units and carries exit code 1"
is "$(psql_val "$db" "SELECT count(*) FROM pg_type WHERE typname = 'status'")" 0 "no type was left behind"
is "$(json_event "$OUT" summary | wc -l)" 1 "one summary object"
is "$(psql_val "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('a', 'b', 'schema_migrations')")" 0 "nothing was left behind"

done_testing
