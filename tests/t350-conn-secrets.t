#!/usr/bin/env bash
# t350-conn-secrets: no output of migrate (stdout and stderr, human, -v and
# --json, failing and succeeding) ever holds a password from its
# connection strings, nor any 6-character piece of it: not after a wrong
# password, a refused connection, a failed unit, a parse error, a
# direct_url that fails, create-db or drop-db.
. "$(dirname "$0")/lib/tap.sh"

PW='sEcReT9 @:/?&=%Zq'
ENC=$(jq -rn --arg s "$PW" '$s|@uri')

# no_secret NAME: passes when neither $OUT nor $ERR holds the password, its
# percent-encoded form, or any 6-character piece of either.
no_secret()
{
	local text="$OUT
$ERR" s i piece
	for s in "$PW" "$ENC"; do
		for ((i = 0; i + 6 <= ${#s}; i++)); do
			piece=${s:i:6}
			if [[ $text == *"$piece"* ]]; then
				fail "$1" "    output holds \"$piece\" of the password:" "$text"
				return 1
			fi
		done
	done
	pass "$1"
}

srv=$(test_tmpdir)/pg
pg_start_scram "$srv" || BAIL_OUT "cannot start a private server"
SPORT=$(pg_port "$srv")
spsql()
{
	psql -XAtq -v ON_ERROR_STOP=1 -h "$srv" -p "$SPORT" -U postgres -d postgres "$@" </dev/null
}
# (no single quote in the password: it can be an SQL literal as it is)
spsql -c "CREATE ROLE mig_secret LOGIN CREATEDB PASSWORD '$PW'" || BAIL_OUT "cannot create the role"
spsql -c "CREATE DATABASE secretdb OWNER mig_secret" || BAIL_OUT "cannot create a database"
spsql -c "CREATE DATABASE faildb OWNER mig_secret" || BAIL_OUT "cannot create a database"

GOOD="postgresql://mig_secret:$ENC@127.0.0.1:$SPORT/secretdb"
BAD="postgresql://mig_secret:${ENC}x@127.0.0.1:$SPORT/secretdb"
KV="host=127.0.0.1 port=$SPORT dbname=secretdb user=mig_secret password='$PW'"
REFUSED="postgresql://mig_secret:$ENC@127.0.0.1:1/secretdb"

# run NAME WANT_RC ARG...: run migrate, check its exit code and its output.
check()
{
	local name=$1 want=$2
	shift 2
	run_migrate "$@"
	is "$RC" "$want" "$name: exit code $want"
	no_secret "$name: no piece of the password in the output"
}

# -------------------------------------------------------------- failing
for mode in "" -v --json "--json -v"; do
	# shellcheck disable=SC2086
	check "a wrong password ${mode:-(plain)}" 5 $mode -d "$BAD" up
done
like "$ERR" 'password authentication failed for user "mig_secret"' "the wrong-password message still says why"
check "a wrong password in key=value form -v" 5 -v -d "${KV%\'}x'" status
for mode in -v --json; do
	MIGRATE_CONNECT_RETRIES=2 check "a refused connection with retries $mode" 5 "$mode" -d "$REFUSED" up
done
MIGRATE_CONNECT_RETRIES=1 check "a refused connection, key=value, -v" 5 -v -d "host=127.0.0.1 port=1 user=u password='$PW'" version
check "a missing database -v --json" 5 -v --json -d "postgresql://mig_secret:$ENC@127.0.0.1:$SPORT/nosuchdb" version
DATABASE_URL=$BAD check "a wrong password from DATABASE_URL -v" 5 -v up

FAILBIN=$(set_bin fail)
FAILURL="postgresql://mig_secret:$ENC@127.0.0.1:$SPORT/faildb"
MIGRATE_BIN=$FAILBIN check "a unit that fails, -v --json" 1 -v --json -d "$FAILURL" up
like "$ERR" 'unit 0003_break_midway failed' "the failing unit is reported (control)"
MIGRATE_BIN=$FAILBIN check "a unit that fails again, -v" 1 -v -d "$FAILURL" up

# ---------------------------------------------------------- parse errors
check "a bad escape inside the password" 2 -v -d "postgresql://mig_secret:${ENC}%zz@127.0.0.1/x" up
check "an unknown URI option after the password" 2 --json -d "$GOOD?nosuchoption=1" up
check "a URI whose host bracket is not closed" 2 -d "postgresql://mig_secret:$ENC@[::1/x" up
check "a key=value string with junk after the password" 2 -v -d "$KV junk" up
check "a password given in the query, then a bad option" 2 -d "postgresql://h/x?password=$ENC&bogus" up
check "a raw password with a space in key=value" 2 -d "host=h password=$PW" up

# ---------------------------------------------------------- succeeding
check "a successful up -v" 0 -v -d "$GOOD" up
check "status --json -v" 0 --json -v -d "$GOOD" status
check "status with the key=value form" 0 -v -d "$KV" status
check "a -pooler. host -v" 0 -v -d "hostaddr=127.0.0.1 host=ep-secret-pooler.example port=$SPORT dbname=secretdb user=mig_secret password='$PW'" status

# ------------------------------------------------ direct_url, create-db
BIN=$(set_bin conn)
spsql -c "CREATE DATABASE directdb OWNER mig_secret" || BAIL_OUT "cannot create a database"
run_cmd env MIGRATE_DIRECT_URL="postgresql://mig_secret:${ENC}x@127.0.0.1:$SPORT/directdb" \
	"$BIN" -v --json -d "postgresql://mig_secret:$ENC@127.0.0.1:$SPORT/directdb" up
is "$RC" 5 "a direct_url with a wrong password exits 5"
like "$ERR" 'could not connect to host=127\.0\.0\.1 port=[0-9]+ dbname=directdb user=mig_secret' \
	"the direct_url failure names host, port, database and user"
no_secret "a failing direct_url: no piece of the password in the output"

check "create-db -v --json" 0 -v --json -d "postgresql://mig_secret:$ENC@127.0.0.1:$SPORT/newsecretdb" create-db
check "drop-db -v" 0 -v -d "postgresql://mig_secret:$ENC@127.0.0.1:$SPORT/newsecretdb" drop-db
check "create-db with a wrong password" 5 -v -d "postgresql://mig_secret:${ENC}x@127.0.0.1:$SPORT/newsecretdb" create-db

done_testing
