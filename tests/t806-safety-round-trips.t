#!/usr/bin/env bash
# t806: what the live-database observation (SPEC section 11) costs in
# round trips, read from the log of a server this test starts with
# log_min_duration_statement = 0 (one "duration:" line per round trip).
# `up --dry-run` of the Red7 units 0001 to 0005 and `verify` of the
# guard_three set (transactional units, each with a down step) are run
# with and without --no-safety on fresh databases: the observation adds one
# round trip after each statement, and one for the whole run that lists
# the relations at the first observed step's start; every later step
# starts from where the previous one left them, so it costs nothing.
. "$(dirname "$0")/lib/tap.sh"

pgdir=$(test_tmpdir)/rt
pg_start "$pgdir" log_min_duration_statement=0 ||
	BAIL_OUT "cannot start a server with log_min_duration_statement=0"
LOG=$pgdir/server.log
PGPORT=$(pg_port "$pgdir") || BAIL_OUT "no port for the server in $pgdir"
export PGHOST=$pgdir PGPORT
UNITS=5

UNIT_FILES=("$MIGRATE_ROOT"/migrations/*.pgc)
UNIT_FILES=("${UNIT_FILES[@]:0:UNITS}")

# own_statements up|down FILE...: the EXEC SQL statements of one step.
own_statements()
{
	local fn=$1 f total=0 n
	shift
	for f in "$@"; do
		n=$(awk -v fn="$fn" '
			$0 ~ "^" fn "\\(void\\)" { inside = 1; next }
			inside && /^}/ { inside = 0 }
			inside && /EXEC SQL/ { n++ }
			END { print n + 0 }' "$f")
		total=$((total + n))
	done
	echo "$total"
}

# round_trips DB FROM: one line per round trip to database DB logged after
# byte FROM of the log, continuation lines joined.
round_trips()
{
	tail -c +$(($2 + 1)) "$LOG" | awk -v db="$1" '
		/^[0-9][0-9][0-9][0-9]-/ {
			if (cur != "")
				print cur
			cur = ""
			if (index($0, " postgres@" db " LOG:  duration: ") &&
				match($0, / ms  (statement|execute [^:]*): /))
				cur = substr($0, RSTART + RLENGTH)
			next
		}
		/^\t/ { if (cur != "") cur = cur " " substr($0, 2) }
		END { if (cur != "") print cur }'
}

# run_logged BIN DB ARGS...: run BIN on DB; TRIPS gets its round trips.
run_logged()
{
	local bin=$1 db=$2 from
	shift 2
	from=$(stat -c %s "$LOG")
	run_cmd "$bin" -d "$(db_url "$db")" "$@"
	TRIPS=$(round_trips "$db" "$from")
}

count_lines()
{
	if [ -z "$1" ]; then
		echo 0
	else
		grep -c -E -e "$2" <<<"$1"
	fi
}

own_up=$(own_statements up "${UNIT_FILES[@]}")
ok "the five Red7 units have up statements to count" test "$own_up" -ge $UNITS
THREE=("$MIGRATE_ROOT"/tests/units/guard_three/*.pgc)
three_up=$(own_statements up "${THREE[@]}")
three_down=$(own_statements down "${THREE[@]}")
ok "the guard_three units have up and down statements to count" \
	test "$three_up" -ge 3 -a "$three_down" -ge 3

SNAPSHOT='migrate_safety_obs;.*FROM pg_catalog\.pg_class c JOIN pg_catalog\.pg_namespace'
OBSERVE='migrate_safety_obs;.*WITH l AS \(SELECT relation'

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
is "$(count_lines "$SAFE" "$SNAPSHOT")" 1 "one query lists the relations, for the whole run"
is "$(count_lines "$SAFE" "$OBSERVE")" "$stmts" "one observation after each statement"
ok "the observation costs at most one round trip per statement ($EXTRA <= $stmts)" \
	test "$EXTRA" -le "$stmts"

# The Red7 units with their no-transaction ones: still one listing.
cost "$MIGRATE_BIN" verify
note "verify of every Red7 unit: $EXTRA extra round trips"
is "$(count_lines "$SAFE" "$SNAPSHOT")" 1 "verify of every Red7 unit lists the relations once"

done_testing
