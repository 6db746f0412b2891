#!/usr/bin/env bash
# t300-conn-strings: every form of connection string psql accepts reaches
# the database it names: URIs and key=value strings, percent-encoded
# passwords full of URI punctuation (SCRAM over TCP), several hosts,
# sslmode, service files, the PG* variables, values ECPG cannot carry in
# its options, and a Neon "-pooler." host recognised once.
. "$(dirname "$0")/lib/tap.sh"

PW='r3d7 P@ss:w/rd?q&z=%y'
ENC=$(jq -rn --arg s "$PW" '$s|@uri')

# The number of lines of $1 that match the extended regex $2.
count_lines()
{
	local n
	n=$(grep -cE -- "$2" <<<"$1")
	printf '%s\n' "${n:-0}"
}

# ------------------------------------------- a server that checks passwords
srv=$(test_tmpdir)/pw
pg_start_scram "$srv" || BAIL_OUT "cannot start a server with passwords"
SPORT=$(pg_port "$srv")
spsql()
{
	psql -XAtq -v ON_ERROR_STOP=1 -h "$srv" -p "$SPORT" -U postgres "$@" </dev/null
}
# (the password holds no single quote, so it can be an SQL literal as it is)
spsql -d postgres -c "CREATE ROLE mig_pw LOGIN PASSWORD '$PW'" ||
	BAIL_OUT "cannot create the role with a password"
for d in pw_uri pw_kv pw_query; do
	spsql -d postgres -c "CREATE DATABASE $d OWNER mig_pw" || BAIL_OUT "cannot create $d"
done
is "$(spsql -d postgres -c "select left(rolpassword, 14) from pg_authid where rolname = 'mig_pw'")" \
	"SCRAM-SHA-256\$" "the role's password is stored as SCRAM"

applied()
{
	spsql -d "$1" -c "select count(*) from public.schema_migrations" 2>/dev/null
}

command_checks_all 0 'up: 5 applied' '' \
	"a URI with a percent-encoded password holding @ : / ? & = % and spaces connects over SCRAM" \
	-- "$MIGRATE_BIN" -d "postgresql://mig_pw:$ENC@127.0.0.1:$SPORT/pw_uri" up --to 5
is "$(applied pw_uri)" 5 "the units were applied in the database the URI names"

KVPW=${PW//\\/\\\\}
KVPW=${KVPW//\'/\\\'}
command_checks_all 0 'up: 5 applied' '' \
	"a key=value string with the same password quoted connects" \
	-- "$MIGRATE_BIN" -d "host=127.0.0.1 port=$SPORT dbname=pw_kv user=mig_pw password='$KVPW'" up --to 5
is "$(applied pw_kv)" 5 "the units were applied in the database the key=value string names"

command_checks_all 0 'up: 5 applied' '' \
	"a URI with user and password as query parameters connects" \
	-- "$MIGRATE_BIN" -d "postgresql://127.0.0.1:$SPORT/pw_query?user=mig_pw&password=$ENC" up --to 5
is "$(applied pw_query)" 5 "the units were applied in the database of the query parameters"

# ------------------------------------------------- the suite's own server
db=$(fresh_db) || BAIL_OUT "cannot create a database"
tcp="host=127.0.0.1 port=$PGPORT user=postgres dbname=$db"

command_checks_all 0 '^0$' '' "a unix-socket URI (host in the query) connects" \
	-- "$MIGRATE_BIN" -d "$(db_url "$db")" version

command_checks_all 0 '^0$' '' \
	"with several hosts the first that answers is used (the first refuses)" \
	-- "$MIGRATE_BIN" -d "postgresql://postgres@127.0.0.1:1,127.0.0.1:$PGPORT/$db?target_session_attrs=read-write" version
command_checks_all 0 '^0$' '' "several hosts work in key=value form too" \
	-- "$MIGRATE_BIN" -d "host=127.0.0.1,127.0.0.1 port=1,$PGPORT user=postgres dbname=$db target_session_attrs=any" version

command_checks_all 0 '^0$' '' "sslmode=disable connects" \
	-- "$MIGRATE_BIN" -d "$tcp sslmode=disable" version
command_checks_all 0 '^0$' '' "sslmode=prefer falls back to a plain connection" \
	-- "$MIGRATE_BIN" -d "postgresql://postgres@127.0.0.1:$PGPORT/$db?sslmode=prefer" version
t0=$(date +%s%N)
command_checks_all 5 '^$' 'could not connect to host=127\.0\.0\.1 port=[0-9]+ dbname=[^ ]+ user=postgres \(not retried.*
detail: .*server does not support SSL, but SSL was required' \
	"sslmode=require against a server without SSL fails with libpq's reason" \
	-- "$MIGRATE_BIN" -d "$tcp sslmode=require" version
elapsed=$((($(date +%s%N) - t0) / 1000000))
ok "sslmode=require fails at once, without retrying (${elapsed} ms < 3000 ms)" test "$elapsed" -lt 3000
unlike "$ERR" 'gave up after' "sslmode=require makes a single attempt"

# ------------------------------------------------------------ service files
cat >pg_service.conf <<EOF
[red7test]
host=127.0.0.1
port=$PGPORT
dbname=$db
user=postgres
EOF
other=$(fresh_db) || BAIL_OUT "cannot create a database"
command_checks_all 0 'up: 5 applied' '' "service=NAME with PGSERVICEFILE connects" \
	-- env PGSERVICEFILE="$PWD/pg_service.conf" "$MIGRATE_BIN" -d "service=red7test" up --to 5
is "$(psql_val "$db" 'select count(*) from schema_migrations')" 5 "the service's database was migrated"
command_checks_all 0 'up: 1 applied' '' "the string's dbname beats the service's" \
	-- env PGSERVICEFILE="$PWD/pg_service.conf" "$MIGRATE_BIN" -d "service=red7test dbname=$other" up --step 1
is "$(psql_val "$other" 'select count(*) from schema_migrations')" 1 "the string's database was migrated"
command_checks_all 0 '^0005$' '' "PGSERVICE names the service when the string is empty" \
	-- env PGSERVICEFILE="$PWD/pg_service.conf" PGSERVICE=red7test "$MIGRATE_BIN" -d "postgresql://" version
command_checks_all 5 '^$' 'definition of service "nosuch" not found' \
	"an unknown service is reported in libpq's words" \
	-- env PGSERVICEFILE="$PWD/pg_service.conf" "$MIGRATE_BIN" -d "service=nosuch" version

# ------------------------------------------------------------ PG* variables
command_checks_all 0 '^0001$' '' "postgresql:// takes PGHOST, PGPORT and PGDATABASE" \
	-- env PGHOST=127.0.0.1 PGPORT="$PGPORT" PGDATABASE="$other" PGUSER=postgres "$MIGRATE_BIN" -d "postgresql://" version
command_checks_all 0 '^0001$' '' "an empty key=value string takes them too" \
	-- env PGHOST=127.0.0.1 PGPORT="$PGPORT" PGDATABASE="$other" "$MIGRATE_BIN" -d " " version
command_checks_all 0 '^0005$' '' "the string beats PGDATABASE" \
	-- env PGDATABASE="$other" "$MIGRATE_BIN" -d "postgresql:///$db" version

# --------------------------------------- values ECPG cannot carry in options
odd='odd&name?x'
psql -XAtq -d postgres -c "CREATE DATABASE \"$odd\"" </dev/null || BAIL_OUT "cannot create \"$odd\""
at_exit "psql -XAtq -d postgres -c 'DROP DATABASE IF EXISTS \"$odd\"' </dev/null >/dev/null 2>&1"
command_checks_all 0 'up: 5 applied' '' "a database name holding & and ? connects" \
	-- "$MIGRATE_BIN" -d "host=127.0.0.1 port=$PGPORT user=postgres dbname='$odd'" up --to 5
is "$(psql_val "$odd" 'select count(*) from schema_migrations')" 5 "the oddly named database was migrated"
command_checks_all 2 '^$' 'connection option "keepalives_idle" cannot contain' \
	"a value that has no environment variable and cannot pass is refused" \
	-- "$MIGRATE_BIN" -d "$tcp keepalives_idle='1&2'" version

# ---------------------------------------------------------- the pooler host
pooled=$(fresh_db) || BAIL_OUT "cannot create a database"
run_migrate -d "hostaddr=127.0.0.1 host=ep-test-pooler.example port=$PGPORT user=postgres dbname=$pooled" up --to 5
is "$RC" 0 "a -pooler. host reached through hostaddr migrates"
is "$(count_lines "$ERR" 'ep-test-pooler\.example.*pooled endpoint')" 1 "a -pooler. host is recognised and said once"
like "$OUT" 'up: 5 applied' "the pooled run applies every unit"
run_migrate --json -d "hostaddr=127.0.0.1 host=ep-test-pooler.example port=$PGPORT user=postgres dbname=$pooled" status
is "$(json_event "$OUT" notice | grep -c 'pooled endpoint')" 1 "with --json the pooler is one notice event"
run_migrate -d "$tcp" status
unlike "$ERR" 'pooled' "an ordinary host is not called a pooler"

# ------------------------------------------------------------ parse errors
command_checks_all 2 '^$' 'invalid connection string: invalid URI query parameter: "bogus"' \
	"an invalid option in a URI is a configuration error naming the option" \
	-- "$MIGRATE_BIN" -d "postgresql://127.0.0.1/x?bogus=1" version
command_checks_all 2 '^$' 'missing "=" after "junk"' "a malformed key=value string is a configuration error" \
	-- "$MIGRATE_BIN" -d "host=x junk" version

done_testing
