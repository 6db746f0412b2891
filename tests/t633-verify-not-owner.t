#!/usr/bin/env bash
# t633: verify --all as a role that owns its units' objects but not the
# database, the public schema or what a DBA made: the emptying inside the
# transaction drops only what that role may drop (its objects in public,
# its schemas), keeps the rest, and the verdicts are those of t630's
# oracle.  Nothing is changed.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin ver_oracle)
db=$(fresh_db verify_owner) || BAIL_OUT "cannot create a database"
app=verify_app_$$
dba=verify_dba_$$
psql_val "$db" "CREATE ROLE $app LOGIN; CREATE ROLE $dba;
	ALTER SCHEMA public OWNER TO $dba;
	GRANT USAGE, CREATE ON SCHEMA public TO $app;
	CREATE TABLE public.dba_table (id int); ALTER TABLE public.dba_table OWNER TO $dba;
	CREATE SCHEMA dba AUTHORIZATION $dba; CREATE TABLE dba.kept (id int); ALTER TABLE dba.kept OWNER TO $dba;
	GRANT USAGE ON SCHEMA dba TO $app"
drop_roles()
{
	psql -XAtq -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" -c "DROP ROLE IF EXISTS $app" \
		-c "DROP ROLE IF EXISTS $dba" >/dev/null 2>&1 </dev/null
}
at_exit drop_roles
url="postgresql:///$db?host=$PGHOST&port=${PGPORT:-5432}&user=$app"

run_cmd "$bin" -d "$url" up
is "$RC" 0 "the units apply as a role that owns neither the database nor public"
before=$(pg_dump -d "$(db_url "$db")" | grep -v '^\\\(un\)\?restrict ')
run_cmd "$bin" -d "$url" verify --all --json
is "$RC" 7 "verify --all exits 7 (broken units), not 1: emptying what the role owns works"
is "$(json_event "$OUT" verified | jq -r '.result' | paste -sd, -)" \
	reversible,broken,broken,broken,reversible,reversible,broken,reversible,broken,untestable,untestable \
	"the verdicts are the oracle's (t630)"
is "$(pg_dump -d "$(db_url "$db")" | grep -v '^\\\(un\)\?restrict ')" "$before" "nothing changed, the DBA's objects included"

done_testing
