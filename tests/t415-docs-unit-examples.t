#!/usr/bin/env bash
# t415: the examples of docs/units.md beyond the seven of t414 (blocks
# marked <!-- example: FILE -->) build beside them and do what the page
# says: a SELECT without INTO that finds rows, an accepted live-database
# hazard, and a plain-SQL unit whose function body keeps its comment.
. "$(dirname "$0")/lib/tap.sh"

# Every ```c or ```sql block after a "<!-- unit: FILE -->" or
# "<!-- example: FILE -->" line becomes docs/FILE.
mkdir -p docs
awk '/^<!-- (unit|example): .* -->$/ { file = $3; next }
	file != "" && /^```(c|sql)$/ { out = "docs/" file; printf "" > out; next }
	out != "" && /^```$/ { close(out); out = ""; file = ""; next }
	out != "" { print > out }' "$MIGRATE_ROOT/docs/units.md"
is "$(ls docs | sed -n '8,$p' | paste -sd' ')" \
	"0008_restart_player_ids.pgc 0009_widen_rating_floor.pgc 0010_add_rating_history.sql" \
	"the page has three more examples"

build_units docs
is "$RC" 0 "they build with the seven others" || diag "$ERR"
bin=$PWD/out-docs/migrate

db=$(fresh_db docs_examples) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_cmd "$bin" -d "$url" up --to 7
is "$RC" 0 "the seven examples of t414 apply (10,000 players)"

run_cmd "$bin" -d "$url" --json verify
is "$RC" 0 "verify passes the three examples: reversible, the hazard accepted" || diag "$OUT" "$ERR"
is "$(json_event "$OUT" verified | jq -r '"\(.version) \(.result)"' | paste -sd,)" \
	"8 reversible,9 reversible,10 reversible" "each round trip restores the schema"
is "$(json_event "$OUT" hazard | jq -r 'select(.accepted | not) | .code' | paste -sd,)" "" \
	"no hazard is left unaccepted"
like "$(json_event "$OUT" hazard | jq -r 'select(.accepted) | "\(.version) \(.code) \(.relation)"' | sort -u | paste -sd,)" \
	"9 rewrite rating_floor" "the rewrite of rating_floor is reported, accepted"

run_cmd "$bin" -d "$url" up
is "$RC" 0 "up applies them on a table with rows (the SELECT without INTO finds 10,000)" || diag "$ERR"
psql_val "$db" "INSERT INTO players (login) VALUES ('newcomer')" >/dev/null
is "$(psql_val "$db" "SELECT id FROM players WHERE login = 'newcomer'")" 100001 \
	"setval ran: the next player's id is 100001"
is "$(psql_val "$db" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	WHERE attrelid = 'rating_floor'::regclass AND attname = 'value'")" bigint "the floor is a bigint"
psql_val "$db" "UPDATE players SET rating = 1500 WHERE login = 'newcomer'" >/dev/null
is "$(psql_val "$db" "SELECT count(*) FROM rating_history")" 1 "the plain-SQL unit's trigger logs a real change"
like "$(psql_val "$db" "SELECT pg_get_functiondef('log_rating'::regproc)")" $'\n\t-- only real changes\n' \
	"its body kept its comment on a line of its own"
command_checks_all 0 '' '' "down --to 7 rolls the three back" -- "$bin" -d "$url" down --to 7

done_testing
