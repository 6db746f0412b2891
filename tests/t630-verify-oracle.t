#!/usr/bin/env bash
# t630: verify's verdicts equal a per-unit oracle.  For each unit k the
# oracle builds, on a scratch database, the schema of units 1..k-1 with
# psql (each up in its own transaction, as a real run commits), runs up k
# and then down k with psql, each in its own transaction, and compares
# pg_dump --schema-only before and after.  verify must give the same
# verdict for every unit, from an empty database and from a migrated one
# (issue 10 item 21), where a chain of downs used to hide leftovers,
# to stop at the first failing down, and to call a down that only fails
# in one transaction broken.
. "$(dirname "$0")/lib/tap.sh"

units_dir=$MIGRATE_ROOT/tests/units/ver_oracle
bin=$(set_bin ver_oracle)
units=("$units_dir"/*.pgc)

# step_sql FILE up|down: the step's EXEC SQL statements, one per line.
step_sql()
{
	awk -v fn="$2(void)" '
		$0 == fn { inside = 1; next }
		inside && /^}/ { inside = 0 }
		inside && /^\tEXEC SQL / { sub(/^\tEXEC SQL /, ""); print }' "$1"
}

# run_step DB FILE up|down: the step in one transaction of its own.
run_step()
{
	step_sql "$2" "$3" | psql -Xq -v ON_ERROR_STOP=1 -1 -d "$1" -f - >/dev/null 2>&1
}

schema_dump()
{
	pg_dump --schema-only -d "$1" | grep -v '^\\\(un\)\?restrict '
}

# The oracle: one verdict per unit, comma-separated.  base holds the ups
# of the units before k; each unit's round trip runs on a copy of it.
oracle()
{
	local base scratch before k verdict out=
	base=$(fresh_db oracle_base) || return 1
	for ((k = 0; k < ${#units[@]}; k++)); do
		scratch=$(fresh_db oracle) || return 1
		psql_val postgres "DROP DATABASE \"$scratch\"" || return 1
		psql_val postgres "CREATE DATABASE \"$scratch\" TEMPLATE \"$base\"" || return 1
		before=$(schema_dump "$scratch")
		if ! run_step "$scratch" "${units[k]}" up; then
			verdict=failed
		elif ! run_step "$scratch" "${units[k]}" down; then
			verdict=broken
		elif [ "$(schema_dump "$scratch")" = "$before" ]; then
			verdict=reversible
		else
			verdict=broken
		fi
		out+=${out:+,}$verdict
		psql_val postgres "DROP DATABASE \"$scratch\"" || return 1
		run_step "$base" "${units[k]}" up || return 1
	done
	printf '%s\n' "$out"
}

# The verified events' results, comma-separated.
verdicts()
{
	json_event "$1" verified | jq -r '.result' | paste -sd, -
}

expected_oracle=reversible,broken,broken,broken,reversible,reversible,broken,reversible,broken,reversible,reversible
want=reversible,broken,broken,broken,reversible,reversible,broken,reversible,broken,untestable,untestable
oracle_says=$(oracle)
is "$oracle_says" "$expected_oracle" "the oracle: 0002-0004 leave what their idempotent ups made, 0007's down fails, 0009 loses a default; the others are exact"
is "$(tr ',' '\n' <<<"$want" | sed 's/untestable/reversible/' | paste -sd, -)" "$oracle_says" \
	"verify's expected verdicts are the oracle's, with untestable where the oracle's down (in its own transaction) is exact"

# --- from an empty database
db=$(fresh_db verify_empty) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_cmd "$bin" -d "$url" verify --all --json
is "$RC" 7 "verify --all on an empty database exits 7 (broken units)"
is "$(verdicts "$OUT")" "$want" "verify --all on an empty database: every verdict equals the oracle's"
run_cmd "$bin" -d "$url" verify --json
is "$(verdicts "$OUT")" "$want" "verify of the pending units on an empty database: the same verdicts"

# --- from a migrated database, with data that makes 0006's down fail
run_cmd "$bin" -d "$url" up
is "$RC" 0 "every unit applies with real ups"
psql_val "$db" "INSERT INTO users (id, name) VALUES (1, NULL)"
is "$(psql_val "$db" "SELECT count(*) FROM users WHERE name IS NULL")" 1 "a user without a name, on which 0006's down would fail"
before=$(pg_dump -d "$url" | grep -v '^\\\(un\)\?restrict ')
run_cmd "$bin" -d "$url" verify --all --json
is "$RC" 7 "verify --all on a migrated database exits 7, not 1: no chain of downs stops it"
is "$(verdicts "$OUT")" "$want" "verify --all on a migrated database: every verdict equals the oracle's (leftovers of downs no longer hide 0002-0004)"
is "$(json_event "$OUT" summary | jq -r '[.reversible, .broken, .untestable, .failed, .exit_code] | join(",")')" "4,5,2,0,7" \
	"the summary counts reversible, broken, untestable and failed units"
like "$(json_event "$OUT" verified | jq -r 'select(.version == 10) | .reason')" \
	'the down step failed only because verify runs it in the same transaction.*SQLSTATE 55P04.*0010_mood_meh.pgc:17' \
	"an enum value used in the transaction that added it is untestable, with the reason, file and line"
like "$(json_event "$OUT" verified | jq -r 'select(.version == 11) | .reason')" 'pending trigger events \(SQLSTATE 55006\)' \
	"pending deferred trigger events of the up step are untestable too"
is "$(json_event "$OUT" verified | jq -r 'select(.version == 9) | .difference | join("|")')" \
	"- column public.users 2 name text default 'nobody'::text|+ column public.users 2 name text" \
	"the JSON difference of a down that lost a default: the lost line and the line left instead"
is "$(pg_dump -d "$url" | grep -v '^\\\(un\)\?restrict ')" "$before" "verify --all changed nothing: schema, data and history as before"

run_cmd "$bin" -d "$url" verify --all
like "$OUT" $'verify 0003 audit_note +broken\n.*1 line of the canonical text differs \\(- lost, \\+ left over\\)\n       \\+ column public\\.audit 2 note text\n' \
	"text: a column the down forgot is one + line naming the column"
like "$OUT" $'verify 0009 name_default +broken\n.*\n       - column public\\.users 2 name text default \'nobody\'::text\n       \\+ column public\\.users 2 name text\n' \
	"text: a default the down lost is a - line and the line left a + line"
like "$OUT" $'verify 0010 mood_meh +untestable\n       the down step failed only because' "text: the untestable verdict and its reason"
like "$OUT" '4 reversible, 0 irreversible, 0 skipped, 5 broken, 2 untestable, 0 failed' "text: the summary line counts every verdict"

# --- from a partly migrated database: the pending units on top of real ups
db=$(fresh_db verify_part) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_cmd "$bin" -d "$url" up --to 4
is "$RC" 0 "units 1-4 apply"
run_cmd "$bin" -d "$url" verify --json
is "$(verdicts "$OUT")" "$(cut -d, -f5- <<<"$want")" "verify of units 5-11 on top of real ups: the oracle's verdicts"
run_cmd "$bin" -d "$url" verify --all --json
is "$(verdicts "$OUT")" "$want" "verify --all there: the oracle's verdicts for every unit"

run_cmd "$bin" -d "$url" up --to 9
is "$RC" 0 "units 5-9 apply"
command_checks_all 0 'verify 0011 seats +untestable' '^$' "untestable units alone are not a failure: exit 0" -- "$bin" -d "$url" verify
like "$OUT" '0 broken, 2 untestable, 0 failed' "both remaining units are untestable"

done_testing
