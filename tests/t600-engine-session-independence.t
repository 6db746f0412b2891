#!/usr/bin/env bash
# t600: what the runner reads and writes itself does not depend on the
# session's or the role's settings (SPEC 5, session independence): a unit
# that changes search_path cannot make status report drift, and a role
# whose search_path, DateStyle, IntervalStyle, TimeZone, extra_float_digits
# and bytea_output differ sees the same fingerprint.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin eng_session)
role="eng_odd_$$_$RANDOM"
at_exit "psql -XAtq -d postgres -c 'DROP ROLE IF EXISTS $role' >/dev/null 2>&1"
psql_val postgres "CREATE ROLE $role LOGIN SUPERUSER" >/dev/null || BAIL_OUT "cannot create a role"
odd_url() { echo "postgresql:///$1?host=$PGHOST&port=$PGPORT&user=$role"; }
odd_settings()
{
	psql_val postgres "ALTER ROLE $role IN DATABASE \"$1\" SET search_path = app, pg_catalog, public;
		ALTER ROLE $role IN DATABASE \"$1\" SET DateStyle = 'SQL, DMY';
		ALTER ROLE $role IN DATABASE \"$1\" SET IntervalStyle = 'sql_standard';
		ALTER ROLE $role IN DATABASE \"$1\" SET TimeZone = 'Asia/Tokyo';
		ALTER ROLE $role IN DATABASE \"$1\" SET extra_float_digits = 0;
		ALTER ROLE $role IN DATABASE \"$1\" SET bytea_output = 'escape'" >/dev/null
}

# ------------------------------------------- a unit that sets search_path
db=$(fresh_db session) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
command_checks_all 0 'up +0001 app_schema +ok' '^$' "up applies a unit that runs SET search_path TO app, public" \
	-- "$bin" -d "$url" up
command_checks_all 0 'no drift' '^$' "status --check right after it reports no drift" -- "$bin" -d "$url" status --check
run_cmd "$bin" -d "$url" schema
like "$OUT" "nextval\('app\.t_id_seq'::regclass\)" "the fingerprint text qualifies the sequence as the pinned search_path requires"
plain_text=$OUT

# ------------------------------------------- a role with other settings
odd_settings "$db"
is "$(psql_val "$(odd_url "$db")" "SHOW search_path")" "app, pg_catalog, public" "the odd role's sessions have their own search_path"
command_checks_all 0 'no drift' '^$' "status --check as the odd role reports no drift" -- "$bin" -d "$(odd_url "$db")" status --check
run_cmd "$bin" -d "$(odd_url "$db")" schema
is "$OUT" "$plain_text" "migrate schema prints the same text for both roles"
run_cmd "$bin" -d "$(odd_url "$db")" status --json
is "$(json_field "$OUT" 'units[0].applied_at')" \
	"$(psql_val "$db" "SELECT to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') FROM schema_migrations WHERE version = 1")" \
	"the history rows read the same whatever the role's DateStyle and TimeZone"

# --------------------------- applied by the odd role, checked by another
db2=$(fresh_db session2) || BAIL_OUT "cannot create a database"
odd_settings "$db2"
command_checks_all 0 'up +0002 public_view +ok' '^$' "the odd role applies the units" -- "$bin" -d "$(odd_url "$db2")" up
command_checks_all 0 'no drift' '^$' "status --check as postgres reports no drift" -- "$bin" -d "$(db_url "$db2")" status --check
command_checks_all 0 'no drift' '^$' "status --check as the odd role reports no drift" -- "$bin" -d "$(odd_url "$db2")" status --check
run_cmd "$bin" -d "$(db_url "$db2")" schema
is "$OUT" "$(cd "$MIGRATE_ROOT" && true; "$bin" -d "$(odd_url "$db2")" schema)" "both roles print the same text"
command_checks_all 0 'down +0002 public_view +ok' '^$' "the odd role rolls a unit back" -- "$bin" -d "$(odd_url "$db2")" down
command_checks_all 3 'no drift' '^$' "status --check as postgres: the unit is pending, no drift" -- "$bin" -d "$(db_url "$db2")" status --check
is "$(psql_val "$(odd_url "$db2")" "SHOW search_path")" "app, pg_catalog, public" "the role's own settings are left as they were"

# a unit still runs with the session's search_path: unqualified names in
# it resolve as the role says (the view was created in public explicitly)
is "$(psql_val "$db2" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app' AND c.relname = 't_id_seq'")" 1 \
	"the serial's sequence is where the unit's search_path put it"

# ------------------------------- a database default for the runner's mark
# The runner marks the transaction it opens for a unit; a default value of
# that setting (for the database or a role) must not pass for the mark.
cbin=$(set_bin guard_commit)
db3=$(fresh_db session_mark) || BAIL_OUT "cannot create a database"
psql_val postgres "ALTER DATABASE \"$db3\" SET migrate.unit_txn = 'on'" >/dev/null
command_checks_all 1 '^up +0001 create_before +ok' \
	"unit 0002_commit_inside ended the runner's transaction itself" \
	"a COMMIT inside a unit is still detected when the database sets the mark's setting" \
	-- "$cbin" -d "$(db_url "$db3")" up
is "$(psql_val "$db3" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" "1" \
	"the offending unit has no history row"

done_testing
