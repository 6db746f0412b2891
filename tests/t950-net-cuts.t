#!/usr/bin/env bash
# t950: bench/netproxy cuts the runner's connection at random points
# during `up` and `down --all` of the 24 units of tests/units/net_cuts
# (0012 a no-transaction unit), at least 100 cuts in all: inside a unit's
# statements, inside the commit batch (before the server has all of it,
# and after it committed but before its answer arrived), inside the
# no-transaction unit, while connecting and in the answers.  Every cut run
# exits 5 with a message saying the connection was lost (but for a cut of
# the closing ROLLBACK of a `down` with nothing to do: exit 0); after each run,
# every history row has its table and index and every unit table has its
# row; after a cut in the no-transaction unit the next run exits 6, then
# `repair` and the runs after it complete.  NET_CUTS_SEED=N repeats a
# choice of cuts.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"
. "$MIGRATE_ROOT/tests/lib/netproxy.sh"

bin=$(set_bin net_cuts)
db=$(fresh_db netcuts) || BAIL_OUT "cannot create a database"
direct=$(db_url "$db")
seed=${NET_CUTS_SEED:-$((($$ + SECONDS) % 32768))}
RANDOM=$seed
note "seed $seed: NET_CUTS_SEED=$seed repeats these cuts"
# A cut run must fail at once, not retry the connection or wait long for
# the lock of a backend that has not yet noticed its client is gone.
export MIGRATE_CONNECT_RETRIES=0 MIGRATE_LOCK_TIMEOUT=2s MIGRATE_LOCK_RETRIES=1


# "PROBLEMS|APPLIED|STATE12": the units whose history row and schema
# disagree (empty when none), the number of applied rows, and the state of
# the no-transaction unit's row ("none" without one).  A row of a
# transactional unit must be applied and come with its table and its
# index; a table must come with its row; an applied 0012 must come with
# its valid index.
check_sql="
WITH u AS (
	SELECT v, format('net_t%s', lpad(v::text, 4, '0')) AS t FROM generate_series(1, 24) v WHERE v <> 12
), h AS (
	SELECT version, state FROM public.schema_migrations
)
SELECT coalesce((SELECT string_agg(p, ' ') FROM (
	SELECT 'row-without-schema:' || v AS p FROM u JOIN h ON h.version = u.v
		WHERE to_regclass(t) IS NULL OR to_regclass(t || '_name_idx') IS NULL OR h.state <> 'applied'
	UNION ALL
	SELECT 'schema-without-row:' || v FROM u
		WHERE (to_regclass(t) IS NOT NULL OR to_regclass(t || '_name_idx') IS NOT NULL)
		AND NOT EXISTS (SELECT 1 FROM h WHERE h.version = u.v)
	UNION ALL
	SELECT 'applied-without-index:12' FROM h WHERE version = 12 AND state = 'applied'
		AND NOT EXISTS (SELECT 1 FROM pg_index WHERE indisvalid
			AND indexrelid = to_regclass('net_t0011_score_idx'))) p), '')
	|| '|' || (SELECT count(*) FROM h WHERE state = 'applied')
	|| '|' || coalesce((SELECT state FROM h WHERE version = 12), 'none')"

# pick_cut PHASE STATE12: a cut, at random.
pick_cut()
{
	local r=$((RANDOM % 10)) notxn_pending=0
	if [ "$1" = up ] && [ "$2" = none ]; then
		notxn_pending=1
	elif [ "$1" = down ] && [ "$2" = applied ]; then
		notxn_pending=1
	fi
	# Favour the no-transaction unit while it is pending and few of
	# its cuts were made.
	if [ "$notxn_pending" = 1 ] && { [ "$r" -ge 8 ] || [ "$notxn_cuts" -lt 4 ] && [ "$r" -ge 5 ]; }; then
		case $((RANDOM % 3)) in
		0) echo "match:concurrently-$((RANDOM % 30))" ;;
		1) echo "match:concurrently+$((RANDOM % 60))" ;;
		2) echo "reply:concurrently" ;;
		esac
		return
	fi
	case $r in
	0 | 1 | 2 | 3 | 8 | 9) echo "trips:$((1 + RANDOM % 14))" ;;
	4 | 5) echo "bytes:$((100 + RANDOM % 9000))" ;;
	6) echo "match:COMMIT;-$((RANDOM % 40))" ;;
	7) echo "reply:COMMIT;" ;;
	esac
}

# Where the cut fell, from the client's last message in the proxy's log.
classify()
{
	local last
	last=$(sed -n 's/^conn [0-9]* cut .* last "\(.*\)"$/\1/p' "$PROXY_LOG" | tail -n 1)
	if [[ $last == *concurrently* ]]; then
		notxn_cuts=$((notxn_cuts + 1)) where=notxn
	elif [[ $last == *COMMIT\;* ]]; then
		commit_cuts=$((commit_cuts + 1)) where=commit
	elif [[ $last =~ (create\ (table|index)|drop\ table)\ net_t ]]; then
		unit_cuts=$((unit_cuts + 1)) where=unit
	else
		other_cuts=$((other_cuts + 1)) where=other
	fi
}

# Wait until no session of an interrupted runner is left (its backend
# notices the cut when it next reads or writes).
settle()
{
	wait_no_runner "$direct" || diag "a runner's session outlived its cut by 15 s"
}

# The history table exists from the start: up and down once, uncut.
command_checks_all 0 'up: 24 applied' '^$' "an uncut up applies the 24 units" -- \
	"$bin" -d "$direct" up
command_checks_all 0 'down: 0 applied, 24 rolled back' '^$' "an uncut down --all rolls them back" -- \
	"$bin" -d "$direct" down --all

# A run with nothing to do: `down` ends with a ROLLBACK, and a cut there
# changes nothing, so it exits 0; `up` ends with a COMMIT (of the history
# table, when the run made it), and a cut there exits 5.
proxy_start "match:ROLLBACK" "$db"
run_cmd "$bin" -d "$PURL" down --all
proxy_stop
is "$RC" 0 "a down with nothing to do whose closing ROLLBACK is cut exits 0"
like "$OUT" 'nothing to do' "and says there was nothing to do"
ok "the cut fell on that ROLLBACK" grep -q '^conn [0-9]* cut .* last "Q....ROLLBACK' "$PROXY_LOG"
settle
command_checks_all 0 'up: 24 applied' '^$' "then up applies the 24 units" -- "$bin" -d "$direct" up
proxy_start "match:COMMIT" "$db"
run_cmd "$bin" -d "$PURL" up
proxy_stop
is "$RC" 5 "an up with nothing to do whose closing COMMIT is cut exits 5"
like "${ERR%%$'\n'*}" '^migrate: error: committing: lost the connection' "and says the connection was lost"
settle
command_checks_all 0 'down: 0 applied, 24 rolled back' '^$' "then down --all rolls them back" -- \
	"$bin" -d "$direct" down --all

cuts=0 runs=0 phases=0 refusals=0 commit_named=0 late_rollbacks=0
notxn_cuts=0 commit_cuts=0 unit_cuts=0 other_cuts=0
phase=up state12=none
while [ "$cuts" -lt 110 ] && [ "$runs" -lt 500 ]; do
	spec=$(pick_cut "$phase" "$state12")
	runs=$((runs + 1))
	proxy_start "$spec" "$db"
	if [ "$phase" = up ]; then
		run_cmd "$bin" -d "$PURL" up
	else
		run_cmd "$bin" -d "$PURL" down --all
	fi
	proxy_stop
	what="run $runs ($phase, $spec)"
	cut=0
	# A cut of the final Terminate message comes after the run's work, and
	# so does one of the closing ROLLBACK of a run with nothing to do (a
	# `down` after a cut commit batch that did commit): nothing changed,
	# and the server rolls back anyway, so that run exits 0 (SPEC 10).
	grep -q '^conn [0-9]* cut .* last "[^X]' "$PROXY_LOG" && cut=1
	if [ "$cut" = 1 ] && [ "$RC" = 0 ] && [[ $OUT == *'nothing to do'* ]] &&
		grep -q '^conn [0-9]* cut .* last "Q....ROLLBACK.\?"$' "$PROXY_LOG"; then
		cut=0 late_rollbacks=$((late_rollbacks + 1))
	fi
	if [ "$RC" = 6 ]; then
		# The previous run was cut inside the no-transaction unit.
		like "$ERR" 'running' "$what: exit 6 names the unit left running"
		like "$ERR" 'repair' "$what: and says to check and run repair"
		refusals=$((refusals + 1))
		command_checks_all 0 '' '' "$what: then repair succeeds" -- "$bin" -d "$direct" repair
	elif [ "$cut" = 1 ]; then
		cuts=$((cuts + 1))
		classify
		is "$RC" 5 "$what: the cut run exits 5" ||
			diag "stderr: $ERR" "proxy: $(cut -c1-300 "$PROXY_LOG")"
		like "${ERR%%$'\n'*}" '^migrate: error: .*(lost the connection|could not connect to)' \
			"$what: and says the connection was lost"
		# A cut commit batch names its unit and says the outcome is unknown.
		if [ "$where" = commit ] && [[ $ERR == *"with its history row: lost the connection"* ]]; then
			like "$ERR" 'committing unit [0-9]{4}_(create_net_t|index_net_t)[0-9]{4} \((up|down) step\)' \
				"$what: the message names the unit whose commit was cut"
			like "$ERR" 'whether the server committed it is unknown.*migrate status' \
				"$what: and says that only status can tell whether it committed"
			commit_named=$((commit_named + 1))
		fi
	else
		is "$RC" 0 "$what: an uncut run completes"
		[ "$RC" = 0 ] && phases=$((phases + 1))
		[ "$RC" = 0 ] && if [ "$phase" = up ]; then phase=down; else phase=up; fi
	fi
	[ "$cut" = 1 ] && settle
	IFS='|' read -r problems applied state12 <<<"$(psql_val "$direct" "$check_sql")"
	is "$problems" "" "$what: every history row has its schema and every unit table its row"
	if [ "$RC" != 0 ] && [ "$RC" != 5 ] && [ "$RC" != 6 ]; then
		diag "$ERR"
	fi
done

note "cuts: $unit_cuts in units' statements, $commit_cuts in commit batches," \
	"$notxn_cuts in the no-transaction unit, $other_cuts elsewhere; $refusals exit-6 refusals;" \
	"$phases completed runs; $late_rollbacks cuts of a closing ROLLBACK; $runs runs"
ok "at least 100 cuts were made ($cuts)" test "$cuts" -ge 100
ok "at least 10 cut a unit's statements ($unit_cuts)" test "$unit_cuts" -ge 10
ok "at least 10 cut a commit batch ($commit_cuts)" test "$commit_cuts" -ge 10
ok "a cut commit batch was reported with its unit ($commit_named times)" test "$commit_named" -ge 1
ok "at least 2 cut the no-transaction unit ($notxn_cuts)" test "$notxn_cuts" -ge 2
ok "every cut in the no-transaction unit was refused by the next run, then repaired ($refusals)" \
	test "$refusals" -ge 1
ok "runs completed after cuts, in both directions ($phases)" test "$phases" -ge 2

# Whatever state the last cut left, up (through a repair if needed) completes.
run_cmd "$bin" -d "$direct" up
if [ "$RC" = 6 ]; then
	command_checks_all 0 '' '' "repair after the last cut" -- "$bin" -d "$direct" repair
	run_cmd "$bin" -d "$direct" up
fi
is "$RC" 0 "a final up completes"
IFS='|' read -r problems applied state12 <<<"$(psql_val "$direct" "$check_sql")"
is "$problems|$applied|$state12" "|24|applied" "and every unit is applied with its schema"

done_testing
