# netproxy.sh: bench/netproxy in front of the suite's server, for the
# tests that cut the runner's connection (t704, t950).  Source it after
# tap.sh; it bails out when the proxy is not built.
#
#   proxy_start SPEC DB   start a proxy to the suite's server (which listens
#                         on 127.0.0.1, tests/lib/pg.sh) that makes the cut
#                         SPEC (bench/netproxy -c); sets PROXY_PID and PURL,
#                         DB's URL through it
#   proxy_stop            stop it; its log ($PROXY_LOG) is appended to
#                         $PROXY_DIR/cuts.log
#
# PROXY_DIR is the test's temporary directory, PROXY_LOG the running
# proxy's log (one line per connection and cut).

PROXY_BIN=$MIGRATE_BUILD/netproxy
[ -x "$PROXY_BIN" ] || BAIL_OUT "no $PROXY_BIN (make build-tests builds it)"
PROXY_DIR=$(test_tmpdir)
PROXY_LOG=$PROXY_DIR/run.log

proxy_start()
{
	local i
	rm -f "$PROXY_DIR/port" "$PROXY_LOG"
	"$PROXY_BIN" -t "$PGPORT" -p "$PROXY_DIR/port" -L "$PROXY_LOG" -T 60 -W $$ -c "$1" &
	PROXY_PID=$!
	for ((i = 0; i < 250; i++)); do
		[ -s "$PROXY_DIR/port" ] && break
		sleep 0.02
	done
	PURL="postgresql://postgres@127.0.0.1:$(cat "$PROXY_DIR/port")/$2?sslmode=disable"
}

proxy_stop()
{
	kill "$PROXY_PID" 2>/dev/null
	wait "$PROXY_PID" 2>/dev/null
	cat "$PROXY_LOG" >>"$PROXY_DIR/cuts.log" 2>/dev/null
	PROXY_PID=
}
at_exit '[ -n "${PROXY_PID:-}" ] && kill "$PROXY_PID" 2>/dev/null'
