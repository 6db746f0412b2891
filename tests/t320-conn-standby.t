#!/usr/bin/env bash
# t320-conn-standby: against a real streaming standby, the commands that
# write (up, down, redo, repair, baseline) exit 5 saying it is a read-only
# standby, and status and version work; a multi-host string with
# target_session_attrs=read-write lands on the primary.
. "$(dirname "$0")/lib/tap.sh"

BINDIR=$(_pg_bindir) || BAIL_OUT "cannot find the server binaries"
as_postgres()
{
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pri=$(test_tmpdir)/pri
sb=$(test_tmpdir)/sb
pg_start "$pri" || BAIL_OUT "cannot start the primary"
PRI_PORT=$(pg_port "$pri")
psql -XAtq -h "$pri" -p "$PRI_PORT" -U postgres -d postgres -c "CREATE DATABASE sbdb" </dev/null ||
	BAIL_OUT "cannot create a database on the primary"
PRI_URL="postgresql://postgres@127.0.0.1:$PRI_PORT/sbdb"
run_migrate -d "$PRI_URL" up --step 2
is "$RC" 0 "the primary is migrated to 0002 before the standby is copied"

mkdir -p "$sb" && { [ "$(id -u)" != 0 ] || chown postgres: "$sb"; }
as_postgres "$BINDIR/pg_basebackup" -D "$sb/data" -R -X stream -c fast --no-sync --no-manifest \
	-h "$pri" -p "$PRI_PORT" -U postgres >"$sb/basebackup.log" 2>&1 ||
	BAIL_OUT "pg_basebackup failed: $(cat "$sb/basebackup.log")"
pg_start "$sb" || BAIL_OUT "cannot start the standby"
SB_PORT=$(pg_port "$sb")
SB_URL="postgresql://postgres@127.0.0.1:$SB_PORT/sbdb"
for _ in $(seq 100); do
	[ "$(psql_val "$SB_URL" 'select count(*) from schema_migrations' 2>/dev/null)" = 2 ] && break
	sleep 0.1
done
is "$(psql_val "$SB_URL" 'select pg_is_in_recovery()')" t "the standby is in recovery"
is "$(psql_val "$SB_URL" 'select count(*) from schema_migrations')" 2 "the standby has replayed the primary's history"

# ----------------------------------------------------- writes are refused
for cmd in up down redo; do
	command_checks_all 5 '' "error: host=127\\.0\\.0\\.1 port=$SB_PORT dbname=sbdb user=postgres is a read-only standby.*
detail: pg_is_in_recovery\\(\\) is true.*
hint: connect to the primary" \
		"$cmd against a read-only standby exits 5 saying so" \
		-- "$MIGRATE_BIN" -d "$SB_URL" "$cmd"
done
run_migrate --json -d "$SB_URL" up
is "$RC" 5 "up --json against a standby exits 5"
is "$(json_field "$(json_event "$OUT" error)" exit_code)" 5 "the JSON error carries exit code 5"
like "$(json_field "$(json_event "$OUT" error)" message)" 'is a read-only standby' "the JSON error says it is a read-only standby"

for cmd in repair "baseline 1"; do
	# shellcheck disable=SC2086
	run_migrate -d "$SB_URL" $cmd
	if [[ $ERR == *"not available in this build"* ]]; then
		skip "\"${cmd%% *}\" is not implemented in this build yet" 2
		continue
	fi
	is "$RC" 5 "${cmd%% *} against a read-only standby exits 5"
	like "$ERR" 'is a read-only standby' "${cmd%% *} says the server is a read-only standby"
done

# ----------------------------------------------------- reads still work
command_checks_all 0 '0002 +create_profiles +applied' '' "status works on a read-only standby" \
	-- "$MIGRATE_BIN" -d "$SB_URL" status
like "$OUT" '0003 +create_statistics +pending' "status on the standby lists the pending units"
command_checks_all 0 '^0002$' '' "version works on a read-only standby" -- "$MIGRATE_BIN" -d "$SB_URL" version
command_checks_all 0 '' '^$' "schema works on a read-only standby" -- "$MIGRATE_BIN" -d "$SB_URL" schema
is "$(psql_val "$PRI_URL" 'select count(*) from schema_migrations')" 2 "nothing was applied anywhere by the refused runs"

# ---------------------------------- several hosts, read-write wanted
run_migrate -v -d "host=127.0.0.1,127.0.0.1 port=$SB_PORT,$PRI_PORT dbname=sbdb user=postgres target_session_attrs=read-write" up --to 5
is "$RC" 0 "up with host=standby,primary and target_session_attrs=read-write succeeds"
like "$ERR" "connected to host=127\\.0\\.0\\.1 port=$PRI_PORT dbname=sbdb" "it lands on the primary"
like "$OUT" 'up: 3 applied' "the remaining units are applied"
is "$(psql_val "$PRI_URL" 'select count(*) from schema_migrations')" 5 "the primary holds every unit"
command_checks_all 0 '^0005$' '' "the URI form of several hosts lands on the primary too" \
	-- "$MIGRATE_BIN" -d "postgresql://postgres@127.0.0.1:$SB_PORT,127.0.0.1:$PRI_PORT/sbdb?target_session_attrs=read-write" version

command_checks_all 5 '' 'could not connect to host=127\.0\.0\.1 port=[0-9]+ dbname=sbdb user=postgres \(gave up after 2 attempts\).*
detail: .*session is read-only.*
hint: target_session_attrs found no server that accepts writes' \
	"target_session_attrs=read-write with only the standby exits 5 with libpq's reason" \
	-- env MIGRATE_CONNECT_RETRIES=1 "$MIGRATE_BIN" -d "$SB_URL?target_session_attrs=read-write" version

done_testing
