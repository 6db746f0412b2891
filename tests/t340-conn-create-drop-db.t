#!/usr/bin/env bash
# t340-conn-create-drop-db: create-db and drop-db go through the postgres
# maintenance database with the same connection string, quote the name
# safely, say plainly when there is nothing to do (exit 0 either way), and
# drop-db is refused on a protected environment without --force.
. "$(dirname "$0")/lib/tap.sh"

# A URI for database $1 on the suite server over TCP; the name is
# percent-encoded.
url_for()
{
	printf 'postgresql://postgres@127.0.0.1:%s/%s\n' "$PGPORT" "$(jq -rn --arg s "$1" '$s|@uri')"
}

exists()
{
	psql_val postgres "select count(*) from pg_database where datname = '${1//\'/\'\'}'"
}

name="we\"ird name $$"
at_exit "psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS \"${name//\"/\"\"}\"' </dev/null >/dev/null 2>&1"

# ------------------------------------------------------------- create-db
command_checks_all 0 "^created database \"we\"ird name $$\"\$" '^$' \
	"create-db creates a database whose name holds a quote and a space" \
	-- "$MIGRATE_BIN" -d "$(url_for "$name")" create-db
is "$(exists "$name")" 1 "the database exists under exactly that name"
command_checks_all 0 "^database \"we\"ird name $$\" already exists, nothing to do\$" '^$' \
	"create-db again says it already exists and exits 0" \
	-- "$MIGRATE_BIN" -d "$(url_for "$name")" create-db
run_migrate --json -d "$(url_for "$name")" create-db
is "$RC" 0 "create-db --json on an existing database exits 0"
is "$(json_field "$(json_event "$OUT" database_exists)" database)" "$name" \
	"create-db --json reports database_exists with the name"
is "$(json_field "$(json_event "$OUT" summary)" exit_code)" 0 "create-db --json ends with a summary"
command_checks_all 0 '^0005$' '' "the new database is usable by migrate" \
	-- sh -c '"$1" -d "$2" up --to 5 >/dev/null && "$1" -d "$2" version' sh "$MIGRATE_BIN" "$(url_for "$name")"

evil='x"; DROP DATABASE keepme; --'
psql -XAtq -d postgres -c 'CREATE DATABASE keepme' </dev/null || BAIL_OUT "cannot create keepme"
at_exit "psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS keepme' </dev/null >/dev/null 2>&1"
at_exit "psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS \"${evil//\"/\"\"}\"' </dev/null >/dev/null 2>&1"
command_checks_all 0 'created database' '' "a name written to inject SQL is only a name" \
	-- "$MIGRATE_BIN" -d "$(url_for "$evil")" create-db
is "$(exists "$evil")$(exists keepme)" 11 "the odd name was created and nothing was dropped"
command_checks_all 0 'dropped database' '' "and it is dropped as a name too" \
	-- "$MIGRATE_BIN" -d "$(url_for "$evil")" drop-db
is "$(exists "$evil")$(exists keepme)" 01 "only the odd name was dropped"

# --------------------------------------------------------------- drop-db
command_checks_all 0 "^dropped database \"we\"ird name $$\"\$" '^$' "drop-db drops it" \
	-- "$MIGRATE_BIN" -d "$(url_for "$name")" drop-db
is "$(exists "$name")" 0 "the database is gone"
command_checks_all 0 "^database \"we\"ird name $$\" does not exist, nothing to do\$" '^$' \
	"drop-db again says it does not exist and exits 0" \
	-- "$MIGRATE_BIN" -d "$(url_for "$name")" drop-db
run_migrate --json -d "$(url_for "$name")" drop-db
is "$(json_field "$(json_event "$OUT" database_missing)" database)" "$name" \
	"drop-db --json reports database_missing"

command_checks_all 0 'created database "kv_db_'$$'"' '' "create-db takes a key=value string" \
	-- "$MIGRATE_BIN" -d "host=127.0.0.1 port=$PGPORT user=postgres dbname=kv_db_$$" create-db
command_checks_all 0 'dropped database "kv_db_'$$'"' '' "drop-db takes a key=value string" \
	-- "$MIGRATE_BIN" -d "host=127.0.0.1 port=$PGPORT user=postgres dbname=kv_db_$$" drop-db
printf '[svc]\nhost=127.0.0.1\nport=%s\nuser=postgres\ndbname=svc_db_%s\n' "$PGPORT" "$$" >services.conf
command_checks_all 0 'created database "svc_db_'$$'"' '' "create-db takes the database from a service file" \
	-- env PGSERVICEFILE="$PWD/services.conf" "$MIGRATE_BIN" -d "service=svc" create-db
command_checks_all 0 'dropped database "svc_db_'$$'"' '' "drop-db takes it from the service file too" \
	-- env PGSERVICEFILE="$PWD/services.conf" "$MIGRATE_BIN" -d "service=svc" drop-db

busy=$(fresh_db busy) || BAIL_OUT "cannot create a database"
run_bg holder psql -XAtq -d "$busy" -c 'select pg_sleep(30)'
for _ in $(seq 50); do
	[ "$(psql_val postgres "select count(*) from pg_stat_activity where datname = '$busy'")" -gt 0 ] && break
	sleep 0.1
done
command_checks_all 1 '' "could not drop database \"$busy\".*
server: database \"$busy\" is being accessed by other users \\(SQLSTATE 55006\\)" \
	"drop-db of a database in use fails with the server's reason" \
	-- "$MIGRATE_BIN" -d "$(url_for "$busy")" drop-db
kill "${_TAP_BG[holder]}" 2>/dev/null
psql_val postgres "select pg_terminate_backend(pid) from pg_stat_activity where datname = '$busy'" >/dev/null

# ------------------------------------------------------------- refusals
command_checks_all 2 '' 'refusing to drop a maintenance database' "drop-db refuses to drop postgres" \
	-- "$MIGRATE_BIN" -d "$(url_for postgres)" drop-db
command_checks_all 2 '' 'unexpected argument "extra" for create-db' "create-db takes no arguments" \
	-- "$MIGRATE_BIN" -d "$(url_for x)" create-db extra
command_checks_all 0 'Usage:' '' "create-db --help prints its usage" -- "$MIGRATE_BIN" create-db --help
command_checks_all 5 '' 'could not connect to host=127\.0\.0\.1 port=1 dbname=postgres user=postgres' \
	"create-db that cannot connect exits 5 naming the maintenance database" \
	-- env MIGRATE_CONNECT_RETRIES=0 "$MIGRATE_BIN" -d "postgresql://postgres@127.0.0.1:1/newdb" create-db

# A real configuration loader errs on a missing -c file; the placeholder
# of the early builds knew no environments, so protection needs the former.
run_migrate -c does-not-exist.yaml -d "$(url_for postgres)" version
if [ "$RC" = 2 ]; then
	prot=$(fresh_db protected) || BAIL_OUT "cannot create a database"
	cat >migrate.yaml <<EOF
default_environment: production
environments:
  production:
    database_url: $(url_for "$prot")
    protected: true
EOF
	command_checks_all 2 '' 'refusing "drop-db" on protected environment "production" without --force' \
		"drop-db is refused on a protected environment" -- "$MIGRATE_BIN" drop-db
	is "$(exists "$prot")" 1 "the protected database is still there"
	command_checks_all 0 "dropped database \"$prot\"" '' "drop-db --force drops it" \
		-- "$MIGRATE_BIN" drop-db --force
	command_checks_all 0 "created database \"$prot\"" '' "create-db is allowed on a protected environment" \
		-- "$MIGRATE_BIN" create-db
else
	skip "the configuration loader is not in this build (no protected environments)" 7
fi

done_testing
