#!/usr/bin/env bash
# t406: baseline V records every unit up to V as 'baseline' without
# running it; it is refused (exit 6) once the history table has rows and
# (exit 5) on a read-only standby; up then goes on from the next unit.
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/dbstate.sh"

bin=$(set_bin guard_three)
db=$(fresh_db baseline) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")

# the schema of units 10 and 20, built by hand, with data in it
psql_val "$db" "CREATE TABLE accounts (id serial PRIMARY KEY, login text UNIQUE NOT NULL);
	ALTER TABLE accounts ADD COLUMN email text;
	INSERT INTO accounts (login, email) VALUES ('ann', 'ann@example.org')"

command_checks_all 0 '^baseline 0010 create_accounts +ok.*
baseline 0020 add_email +ok.*
baseline: 2 units recorded up to version 20, none run' '^$' \
	"baseline 20 records units 10 and 20" -- "$bin" -d "$url" baseline 20
is "$(psql_val "$db" "SELECT string_agg(version || ':' || state, ',' ORDER BY version) FROM schema_migrations")" \
	"10:baseline,20:baseline" "both rows are in state baseline"
run_cmd "$bin" -d "$url" --json status
is "$(psql_val "$db" "SELECT checksum FROM schema_migrations WHERE version = 20")" \
	"$(json_field "$OUT" 'units[1].checksum')" "the rows carry the binary's checksums"
is "$(jq -r '[.units[].state] | join(",")' <<<"$OUT")" "baseline,baseline,pending" \
	"status shows baseline, baseline, pending"
is "$(psql_val "$db" "SELECT schema_hash IS NOT NULL FROM schema_migrations WHERE version = 20")" t \
	"the newest baseline row carries the live schema's fingerprint"
is "$(json_field "$OUT" drift)" false "so status sees no drift"
is "$(psql_val "$db" "SELECT login FROM accounts")" ann "no unit ran: the hand-made table and its row are untouched"

before=$(db_state "$db")
command_checks_all 6 '' 'refusing to baseline: the history table public.schema_migrations already has 2 rows' \
	"a second baseline is refused with exit 6" -- "$bin" -d "$url" baseline 30
is "$(db_state "$db")" "$before" "the refused baseline left the database exactly as it was"

command_checks_all 0 '^up +0030 create_rooms +ok' '^$' "up goes on from the unit after the baseline" \
	-- "$bin" -d "$url" up
unlike "$OUT" '0010|0020' "up ran neither baselined unit"
command_checks_all 6 '' 'already has 3 rows' "baseline is refused after up too" \
	-- "$bin" -d "$url" baseline 10

# V need not be a unit's version: every unit at or below it is recorded
db2=$(fresh_db baseline2) || BAIL_OUT "cannot create a database"
run_cmd "$bin" -d "$(db_url "$db2")" --json baseline 25
is "$RC" 0 "baseline 25 (not a unit's version) works"
is "$(json_event "$OUT" baselined | jq -sr 'map(.version) | join(",")')" "10,20" \
	"it reports units 10 and 20 as baselined events"
is "$(json_event "$OUT" summary | jq -r .baselined)" 2 "the JSON summary counts two"
is "$(psql_val "$db2" "SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_migrations")" \
	"10,20" "units 10 and 20 are recorded"

db3=$(fresh_db baseline3) || BAIL_OUT "cannot create a database"
before=$(db_state "$db3")
command_checks_all 0 '^$' 'no unit has a version at or below 5: nothing recorded' \
	"baseline below the first unit records nothing and says so" -- "$bin" -d "$(db_url "$db3")" baseline 5
is "$(db_state "$db3")" "$before" "it left the database exactly as it was, without a history table"
command_checks_all 0 '^baseline 0010.*
baseline 0020.*
baseline 0030' '' "baseline above the last unit records every unit" \
	-- "$bin" -d "$(db_url "$db3")" baseline 999999999999999999
command_checks_all 0 '^nothing to do' '' "after that up has nothing to do" -- "$bin" -d "$(db_url "$db3")" up

for arg in 0 abc -1 1234567890123456789; do
	command_checks_all 2 '^$' "invalid version|unknown option|must be at least 1" "baseline $arg is a usage error" \
		-- "$bin" -d "$url" baseline "$arg"
done
command_checks_all 2 '^$' 'baseline needs a version' "baseline without V is a usage error" \
	-- "$bin" -d "$url" baseline
command_checks_all 2 '^$' 'unexpected argument "20"' "baseline with two versions is a usage error" \
	-- "$bin" -d "$url" baseline 10 20
command_checks_all 2 '^$' 'unexpected argument' "repair takes no argument" \
	-- "$bin" -d "$url" repair now

# ------------------------------------------------- a read-only standby
primary=$TEST_TMPDIR/p
standby=$TEST_TMPDIR/s
if ! pg_start "$primary"; then
	BAIL_OUT "cannot start a primary server"
fi
pport=$(pg_port "$primary")
psql -XAtq -h "$primary" -p "$pport" -d postgres -c "CREATE DATABASE adopt" || BAIL_OUT "cannot create a database on the primary"
mkdir -p "$standby"
[ "$(id -u)" = 0 ] && chown postgres: "$standby"
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
"${as_pg[@]}" pg_basebackup -h "$primary" -p "$pport" -U postgres -D "$standby/data" -R -X stream --checkpoint=fast \
	>"$TEST_TMPDIR/basebackup.log" 2>&1 || BAIL_OUT "pg_basebackup failed: $(cat "$TEST_TMPDIR/basebackup.log")"
pg_start "$standby" || BAIL_OUT "cannot start the standby"
surl="postgresql:///adopt?host=$standby&port=$(pg_port "$standby")&user=postgres"
is "$(psql -XAtq -d "$surl" -c "SELECT pg_is_in_recovery()")" t "the second server is a standby"
command_checks_all 5 '^$' 'read-only standby' "baseline refuses a read-only standby with exit 5" \
	-- "$bin" -d "$surl" baseline 20
command_checks_all 5 '^$' 'read-only standby' "repair refuses a read-only standby with exit 5" \
	-- "$bin" -d "$surl" repair
is "$(psql -XAtq -h "$primary" -p "$pport" -d adopt -c "SELECT to_regclass('public.schema_migrations') IS NULL")" t \
	"nothing was written on the primary either"

done_testing
