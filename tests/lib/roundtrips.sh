# roundtrips.sh: counting a runner's round trips in a server's log, for the
# tests that measure them (t090, t806).  Source it after tap.sh.
#
#   roundtrips_server         start a private server with
#                             log_min_duration_statement = 0 (one
#                             "duration:" line per simple Query or Execute,
#                             that is per round trip); sets LOG, PGHOST,
#                             PGPORT
#   own_statements up|down FILE...
#                             the EXEC SQL statements of that step in FILEs
#   run_logged BIN DB ARG...  run BIN on DB (OUT, ERR, RC as run_cmd);
#                             TRIPS gets its round trips, one a line
#   count_lines TEXT ERE      how many lines of TEXT match ERE

roundtrips_server()
{
	local pgdir
	pgdir=$(test_tmpdir)/rt
	pg_start "$pgdir" log_min_duration_statement=0 ||
		BAIL_OUT "cannot start a server with log_min_duration_statement=0"
	LOG=$pgdir/server.log
	PGPORT=$(pg_port "$pgdir") || BAIL_OUT "no port for the server in $pgdir"
	PGHOST=$pgdir
	export PGHOST PGPORT
}

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
