#!/usr/bin/env bash
# t801: the live-database safety report (SPEC section 11), as the
# database's owner without superuser.  Each hazard code has a unit that
# triggers it on a table with rows and a safe rewrite that does not; an
# accepted hazard is reported but does not fail; a unit that only creates
# tables, CREATE INDEX CONCURRENTLY in a no-transaction unit and a
# statement in a C loop (one line, a count) are covered too.  verify and
# up --dry-run exit 8 for an unaccepted hazard and leave the database
# exactly as it was (pg_dump with data); a real up never observes.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin safe_codes)
db=$(fresh_db safe_codes) || BAIL_OUT "cannot create a database"
role="safe_owner_${BASHPID}_$RANDOM"
psql_val postgres "CREATE ROLE \"$role\" LOGIN NOSUPERUSER" >/dev/null || BAIL_OUT "cannot create a role"
psql_val postgres "ALTER DATABASE \"$db\" OWNER TO \"$role\"" >/dev/null
url="postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$role"

# Each hazard event as "version step code relation accepted", one a line.
hazards()
{
	json_event "$1" hazard | jq -r '"\(.version) \(.step) \(.code) \(.relation) \(.accepted)"'
}

dump()
{
	pg_dump --no-owner -d "$db" 2>&1 | grep -v -e '^\\restrict ' -e '^\\unrestrict '
}

# ----------------------------------------------- only new tables: nothing
run_cmd "$bin" -d "$url" --json up --dry-run --to 1
is "$RC" 0 "a unit that only creates tables passes the dry run"
is "$(hazards "$OUT")" "" "and has no hazard"
is "$(json_event "$OUT" summary | jq -c '[.hazards, .accepted_hazards]')" "[0,0]" \
	"the summary counts no hazard"
run_cmd "$bin" -d "$url" up --to 1
is "$RC" 0 "the owner (not a superuser) applies the tables"
psql_val "$db" "
	INSERT INTO players (login, score) SELECT 'p' || g, g FROM generate_series(1, 3000) g;
	INSERT INTO rounds (player_id, points) SELECT g % 100, g FROM generate_series(1, 3000) g;
	INSERT INTO profiles (bio) SELECT 'bio ' || g FROM generate_series(1, 3000) g;
	INSERT INTO rooms (name) SELECT 'room ' || g FROM generate_series(1, 3000) g;
	INSERT INTO scores (v) SELECT g FROM generate_series(1, 3000) g;
	INSERT INTO sessions (started_at) SELECT now() FROM generate_series(1, 3000) g;
	ANALYZE;" >/dev/null

# ------------------------------------------------------- verify, all units
before=$(dump)
run_cmd "$bin" -d "$url" --json verify
is "$RC" 8 "verify exits 8 for hazards no unit accepted"
is "$(hazards "$OUT")" "2 up rewrite players false
2 down rewrite players false
4 up blocks-writes rounds false
6 up validation-scan profiles false
9 up blocks-reads rooms false
11 up held-across scores false
13 up rewrite players true
13 down rewrite players true
15 up blocks-writes rounds false
18 up no-lock-timeout sessions false
18 down no-lock-timeout sessions false
19 up no-lock-timeout sessions false" \
	"verify reports each hazardous step, once per statement and relation, and no safe rewrite"
is "$(json_event "$OUT" summary | jq -c '[.exit_code, .hazards, .accepted_hazards, .broken]')" \
	"[8,12,2,0]" "the summary counts all hazards and the accepted ones"
is "$(dump)" "$before" "verify left the database exactly as it was, data included"

ev=$(json_event "$OUT" hazard | jq -c 'select(.version == 2 and .step == "up")')
is "$(jq -r '[.file, .line, .unit, .lock, .blocks, .rewrite] | join(" ")' <<<"$ev")" \
	"tests/units/safe_codes/0002_retype_score.pgc 9 0002_retype_score ACCESS EXCLUSIVE reads and writes true" \
	"a rewrite names the unit's file and line, the lock and what it blocks"
is "$(jq '.rows_scanned >= 3000 and .held_ms >= 0 and .duration_ms >= 0' <<<"$ev")" true \
	"and the rows its scan read, how long the lock was held, how long it ran"
like "$(jq -r .hint <<<"$ev")" "new column" "and a one-line fix"
ev=$(json_event "$OUT" hazard | jq -c 'select(.version == 4)')
is "$(jq -r '[.lock, .blocks] | join(" / ")' <<<"$ev")" "SHARE / writes" \
	"CREATE INDEX takes SHARE, which blocks writes"
ev=$(json_event "$OUT" hazard | jq -c 'select(.version == 15)')
is "$(jq -r '[.line, .count] | join(" ")' <<<"$ev")" "22 3" \
	"a statement in a C loop is one hazard for its line, with how often it ran"

command_checks_all 8 '^hazard rewrite tests/units/safe_codes/0002_retype_score\.pgc:9 \(0002_retype_score up\): ACCESS EXCLUSIVE on players blocks reads and writes for [0-9]+ ms; rewritten; [0-9]+ rows scanned
       fix: add a new column, backfill it in batches, then swap' '' \
	"the text report says the same in two lines" -- "$bin" -d "$url" verify
command_checks_all 0 'verify: 13 reversible, 0 irreversible, 3 skipped, 0 broken' '' \
	"verify --no-safety skips the observation" -- "$bin" -d "$url" verify --no-safety
run_cmd "$bin" -d "$url" --json verify --no-safety
is "$(json_event "$OUT" summary | jq -c '[.exit_code, .hazards]')" "[0,null]" \
	"and its summary has no hazard count"

# ------------------------------------ up --dry-run, one pending unit each
expect=(
	"2 rewrite 8" "3 - 0" "4 blocks-writes 8" "5 - 0" "6 validation-scan 8" "7 - 0"
	"8 - 0" "9 blocks-reads 8" "10 - 0" "11 held-across 8" "12 - 0" "13 rewrite 0"
	"14 - 0" "15 blocks-writes 8" "18 no-lock-timeout 8" "19 no-lock-timeout 8")
for e in "${expect[@]}"; do
	read -r v code rc <<<"$e"
	before=$(dump)
	run_cmd "$bin" -d "$url" --json up --dry-run --to "$v"
	got=$(json_event "$OUT" hazard | jq -r '.code' | sort -u | paste -sd,)
	is "${got:--} $RC" "$code $rc" "up --dry-run of unit $v alone: ${code/-/no hazard}, exit $rc"
	if [ "$v" = 13 ]; then
		is "$(hazards "$OUT")" "13 up rewrite players true" "unit 13's MIGRATE_ACCEPT marks its rewrite accepted"
	fi
	is "$(dump)" "$before" "the dry run of unit $v left the database exactly as it was"
	run_cmd "$bin" -d "$url" --json up --to "$v"
	is "$RC $(hazards "$OUT")" "0 " "a real up of unit $v observes nothing and exits 0"
done

done_testing
