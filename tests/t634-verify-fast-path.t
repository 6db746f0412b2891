#!/usr/bin/env bash
# t634: verify's catalog marks (issue 13).  A unit whose down step leaves
# every catalog row as it was is reversible without a describe of the
# schema; any other unit is judged by describing it after the down step
# and before the up step, with the verdict and difference the exact path
# always gave.  The ver_fast units are built so that the counters
# balance while the schema differs: a table of the same shape as the one
# dropped (0003, 0009), one made in a rolled-back block (0010), a comment
# set back (0011), a column left NOT NULL (0014, a change only
# pg_attribute holds); and 0015 turns the counters off.  The describes and
# the catalog scans are read from the log of a private server
# (log_min_duration_statement = 0), and every verdict is compared with
# the run that has no usable counters at all (track_counts off).
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/roundtrips.sh"

roundtrips_server
bin=$(set_bin ver_fast)

DESCRIBE='migrate_schema_pin'
SCAN='migrate_verify_mark;SELECT EXISTS'

# per_unit ERE: how many round trips of $TRIPS match ERE, per unit with a
# round trip (each starts with its SAVEPOINT), space-separated.
per_unit()
{
	awk -v re="$1" '
		/^SAVEPOINT migrate_verify_up/ { if (u) printf "%d ", n; u++; n = 0 }
		$0 ~ re { n++ }
		END { printf "%d\n", n }' <<<"$TRIPS"
}

verdicts()
{
	json_event "$1" verified | jq -r '.result' | paste -sd, -
}

# difference JSON VERSION: the unit's difference lines, joined by "|".
difference()
{
	json_event "$1" verified | jq -r --argjson v "$2" 'select(.version == $v) | .difference // [] | join("|")'
}

want=reversible,reversible,broken,reversible,reversible,reversible,broken,reversible,broken,broken,reversible,irreversible,reversible,broken,broken

# --- with the counters on (the server's default)
db=$(fresh_db vfast) || BAIL_OUT "cannot create a database"
run_logged "$bin" "$db" verify --all --json
fast=$OUT
is "$RC" 7 "verify --all of the ver_fast units finds the broken ones"
is "$(verdicts "$fast")" "$want" "every unit gets the verdict of the exact path"
is "$(per_unit "$DESCRIBE")" "0 0 2 2 0 2 2 2 2 2 2 0 0 2 2" \
	"units whose down leaves the catalogs as they were are not described; the others twice"
is "$(per_unit "$SCAN")" "1 1 0 0 1 1 0 1 1 1 1 0 1 1 0" \
	"the catalogs are scanned when the counters balance, and only then"
# The live-database observation saw every statement through its window,
# so it knows the relations each unit wrote: the check asks whether any
# still exists instead of reading pg_class and pg_attribute (SPEC 10).
is "$(count_lines "$TRIPS" "$SCAN.*FROM pg_catalog.\"pg_(class|attribute)\" t WHERE")" 0 \
	"no scan reads pg_class or pg_attribute when the window saw every statement"
is "$(count_lines "$TRIPS" "$SCAN.*pg_class c WHERE c.oid = ANY")" 7 \
	"it looks up the relations the units wrote instead (0005 and 0006, a comment and a grant, write none)"
is "$(difference "$fast" 3)" "+ table public.y2 owner postgres acl {postgres=arwdDxt/postgres}|+ column public.y2 1 a integer" \
	"a down that makes another table of the same shape is broken, + that table"
is "$(difference "$fast" 7)" "+ function public.answer() owner postgres acl {=X/postgres,postgres=X/postgres}|+ 	CREATE OR REPLACE FUNCTION public.answer()|+ 	 RETURNS integer|+ 	 LANGUAGE sql|+ 	AS \$function\$SELECT 41\$function\$" \
	"a down that replaces the function instead of dropping it is broken"
is "$(difference "$fast" 9)" "- table public.keep owner postgres acl {postgres=arwdDxt/postgres} comment 'old'|- column public.keep 1 a integer|+ table public.made owner postgres acl {postgres=arwdDxt/postgres} comment 'old'|+ column public.made 1 a integer" \
	"balanced counters with a new table left over: broken, - keep + made (the scan finds made's rows)"
is "$(difference "$fast" 10)" "- table public.keep owner postgres acl {postgres=arwdDxt/postgres} comment 'old'|- column public.keep 1 a integer" \
	"balanced counters from a rolled-back block: broken, - keep (the scan finds the rollback)"
is "$(difference "$fast" 14)" "- column public.one_way 1 a integer|+ column public.one_way 1 a integer not-null" \
	"a change only pg_attribute holds is found (the window knows the unit wrote one_way): broken"
is "$(difference "$fast" 15)" "+ table public.late owner postgres acl {postgres=arwdDxt/postgres}|+ column public.late 1 a integer" \
	"a unit that turns track_counts off is described: broken, + late"
for v in 4 6 8 11; do
	is "$(json_event "$fast" verified | jq -r --argjson v $v 'select(.version == $v) | .result')" reversible \
		"unit $v's catalog rows are new versions, and describing proves it reversible"
done
like "$(json_event "$fast" summary | jq -c .)" '"reversible":8,"irreversible":1,.*"broken":6' \
	"the summary counts the same verdicts"

# -v says which way each unit went
db=$(fresh_db vverbose) || BAIL_OUT "cannot create a database"
run_cmd "$bin" -v -d "$(db_url "$db")" verify --all
like "$ERR" 'debug: 0002_new_table: the catalog marks prove the down step exact' \
	"-v says when the catalog marks prove a unit"
like "$ERR" 'debug: 0004_add_drop_column: the catalog marks leave it open: describing the schema' \
	"and when the schema is described"

# --- without the observation: the catalogs are read, with the same verdicts
db=$(fresh_db vnosafety) || BAIL_OUT "cannot create a database"
run_logged "$bin" "$db" verify --all --json --no-safety
is "$(verdicts "$OUT")" "$want" "verify --all --no-safety gives the same verdicts"
is "$(per_unit "$DESCRIBE")" "0 0 2 2 0 2 2 2 2 2 2 0 0 2 2" "and describes the same units"
ok "it reads pg_attribute in the scans ($(count_lines "$TRIPS" "$SCAN.*\"pg_attribute\" t WHERE"))" \
	test "$(count_lines "$TRIPS" "$SCAN.*\"pg_attribute\" t WHERE")" -gt 0

# --- without usable counters: the exact path for every unit
db=$(fresh_db vexact) || BAIL_OUT "cannot create a database"
PGOPTIONS='-c track_counts=off' run_logged "$bin" "$db" verify --all --json
exact=$OUT
is "$RC" 7 "verify --all with track_counts off exits 7 too"
is "$(per_unit "$DESCRIBE")" "2 2 2 2 2 2 2 2 2 2 2 0 2 2 2" \
	"with track_counts off every reversible unit is described before and after"
is "$(per_unit "$SCAN")" "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" "and no catalog is scanned"
is "$(json_event "$exact" verified | jq -c 'del(.duration_ms)')" \
	"$(json_event "$fast" verified | jq -c 'del(.duration_ms)')" \
	"the verified events, differences included, are those of the exact path"

# --- the pending units of a migrated database: the marks follow the ups
db=$(fresh_db vpending) || BAIL_OUT "cannot create a database"
run_cmd "$bin" -d "$(db_url "$db")" up --to 2
is "$RC" 0 "the first two units apply"
run_logged "$bin" "$db" verify --json
is "$(verdicts "$OUT")" "${want#reversible,reversible,}" "verify of the pending units gives the same verdicts"
is "$(per_unit "$DESCRIBE")" "2 2 0 2 2 2 2 2 2 0 0 2 2" "and describes the same units"

done_testing
