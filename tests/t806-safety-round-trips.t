#!/usr/bin/env bash
# t806: what the live-database observation (SPEC section 11) costs in
# round trips, read from the log of a server this test starts with
# log_min_duration_statement = 0 (one "duration:" line per round trip).
# `up --dry-run` of the Red7 units 0001 to 0005 and `verify` of the
# guard_three set (transactional units, each with a down step) are run
# with and without --no-safety on fresh databases: the observation adds one
# round trip after each statement and nothing more.  The relation listing
# the run's first observed step needs rides in the runner's own round trip
# just before it (verify's SAVEPOINT, the dry run's opening batch); every
# later step starts from where the previous one left them, but for the
# step after a unit that verify applied a second time (its exact path),
# whose relations are new ones: that listing rides in the next SAVEPOINT.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/roundtrips.sh"

roundtrips_server
UNITS=5

UNIT_FILES=("$MIGRATE_ROOT"/migrations/*.pgc)
UNIT_FILES=("${UNIT_FILES[@]:0:UNITS}")

own_up=$(own_statements up "${UNIT_FILES[@]}")
ok "the five Red7 units have up statements to count" test "$own_up" -ge $UNITS
THREE=("$MIGRATE_ROOT"/tests/units/guard_three/*.pgc)
three_up=$(own_statements up "${THREE[@]}")
three_down=$(own_statements down "${THREE[@]}")
ok "the guard_three units have up and down statements to count" \
	test "$three_up" -ge 3 -a "$three_down" -ge 3

SNAPSHOT='migrate_safety_obs;.*LEFT JOIN pg_catalog\.pg_stat_xact_user_tables s ON'
DESCRIBE='SAVEPOINT migrate_schema_pin'
OBSERVE='^SAVEPOINT migrate_safety_obs;(SELECT pg_catalog.current_setting\(.lock_timeout.\).*WITH ids AS|.*EXECUTE migrate_safety_[0-9]+_w\()'

# cost BIN CMD...: the round trips of CMD with and without --no-safety,
# each on a fresh database; EXTRA gets the difference, SAFE the observed
# run's round trips.
cost()
{
	local bin=$1 db plain
	shift
	db=$(fresh_db rt_plain) || BAIL_OUT "cannot create a database"
	run_logged "$bin" "$db" "$@" --no-safety
	plain=$(count_lines "$TRIPS" .)
	db=$(fresh_db rt_safe) || BAIL_OUT "cannot create a database"
	run_logged "$bin" "$db" "$@"
	SAFE=$TRIPS
	EXTRA=$(($(count_lines "$TRIPS" .) - plain))
}

# ------------------------------------------------------------ up --dry-run
cost "$MIGRATE_BIN" up --dry-run --to $UNITS
is "$RC" 0 "up --dry-run of the five units passes"
note "up --dry-run: $EXTRA extra round trips for $own_up statements"
is "$(count_lines "$SAFE" "$SNAPSHOT")" 1 "one query lists the relations, for the whole run"
is "$(count_lines "$SAFE" "$OBSERVE")" "$own_up" "one observation after each statement"
ok "the observation costs at most one round trip per statement ($EXTRA <= $own_up)" \
	test "$EXTRA" -le "$own_up"

# ------------------------------------------------------------------ verify
# Each unit's up step, then its down step (rolled back): the down step
# starts where the up step left the relations, the next unit's up step
# where the previous up step did.
cost "$(set_bin guard_three)" verify
is "$RC" 0 "verify of the guard_three units passes"
stmts=$((three_up + three_down))
note "verify: $EXTRA extra round trips for $stmts statements"
# 0020's down drops the column its up added: the table's catalog rows are
# new versions, so verify describes the schema (after the down step, then
# before the up step) and applies the up step again.
is "$(count_lines "$SAFE" "$DESCRIBE")" 2 "one guard_three unit (0020) takes verify's exact path"
is "$(count_lines "$SAFE" "$SNAPSHOT")" 2 \
	"one query lists the relations, and one more after the unit applied again"
is "$(count_lines "$SAFE" "$OBSERVE")" "$stmts" "one observation after each statement"
ok "the observation costs at most one round trip per statement ($EXTRA <= $stmts)" \
	test "$EXTRA" -le "$stmts"

# The Red7 units with their no-transaction ones: one listing, and one
# after each unit applied again.
cost "$MIGRATE_BIN" verify
again=$(($(count_lines "$SAFE" "$DESCRIBE") / 2))
note "verify of every Red7 unit: $EXTRA extra round trips, $again units applied again"
listings=$(count_lines "$SAFE" "$SNAPSHOT")
ok "verify of every Red7 unit lists the relations once, and after a unit applied again ($listings <= 1 + $again)" \
	test "$listings" -ge 1 -a "$listings" -le $((1 + again))

done_testing
