#!/usr/bin/env bash
# t805: the Red7 units after 0005 (issue 11 item 6) fix the notebook
# schema's weak spots safely: verify --all from empty finds every unit
# reversible (no-transaction ones skipped) and no hazard; on a database at
# 0005 with 50,000 players up --dry-run reports no hazard; up gives the
# indexes, valid checks and NOT NULL counters (NULL counters backfilled)
# while the notebook application's statements keep working; down --to 5
# gives back exactly the 0005 schema; logins that differ only by case are
# refused with a clear error, losing nothing.
. "$(dirname "$0")/lib/tap.sh"

dump() {
	pg_dump --schema-only --no-owner --exclude-table=public.schema_migrations "$(db_url "$1")" |
		grep -v '^\\\(un\)\?restrict '
}
last=$(ls "$MIGRATE_ROOT/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_.*/\1/p' | sort -n | tail -1)

# ---- verify from an empty database
db=$(fresh_db red7g_empty) || BAIL_OUT "cannot create a database"
run_migrate -d "$(db_url "$db")" --json verify --all
is "$RC" 0 "verify --all of the Red7 units from an empty database exits 0"
is "$(json_event "$OUT" hazard | jq -c 'select(.accepted | not)')" "" "no unaccepted hazard"
sum=$(json_event "$OUT" summary)
is "$(jq -c '[.hazards, .broken]' <<<"$sum")" "[0,0]" "no hazard at all, no broken unit"
is "$(jq -r '.reversible' <<<"$sum")" "7" "0001-0005, 0009 and 0010 are reversible"
is "$(json_event "$OUT" verified | jq -r 'select(.result == "skipped") | .version' | paste -sd,)" \
	"6,7,8,11" "the no-transaction units 0006, 0007, 0008 and 0011 are skipped"

# ---- a database at 0005 with realistic rows
db=$(fresh_db red7g_rows) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_migrate -d "$url" up --to 5
is "$RC" 0 "up --to 5 builds the notebook schema"
psql_val "$db" "
	INSERT INTO users (login, password, last_visited)
		SELECT 'player' || g || CASE WHEN g % 3 = 0 THEN '@Mail.example' ELSE '@mail.example' END,
			md5(g::text), now() - g * interval '1 minute'
		FROM generate_series(1, 50000) g;
	INSERT INTO profiles (user_id, name) SELECT id, 'Player ' || id FROM users;
	INSERT INTO statistics (user_id, total_played, wins, cur_straight_wins, max_straight_wins)
		SELECT id, id % 200, (id % 200) / 2, id % 3, id % 7 FROM users;
	INSERT INTO achievements (name) SELECT 'achievement ' || g FROM generate_series(1, 40) g;
	INSERT INTO user_achievements SELECT id, 1 + id % 40 FROM users WHERE id % 2 = 0;
	INSERT INTO game_rooms (assigned_id, game_state)
		SELECT 'room-' || g, (ARRAY['waiting','playing','finished'])[1 + g % 3] FROM generate_series(1, 5000) g;
	INSERT INTO user_room SELECT id, 1 + id % 5000 FROM users;
	ANALYZE" >/dev/null || BAIL_OUT "cannot load the rows"
at5=$(dump "$db")

run_migrate -d "$url" --json up --dry-run
is "$RC" 0 "up --dry-run on 50,000 players exits 0"
is "$(json_event "$OUT" hazard | jq -c 'select(.accepted | not)')" "" "and reports no unaccepted hazard"
is "$(json_event "$OUT" summary | jq -c '[.hazards, .accepted_hazards]')" "[0,0]" "its summary counts none"
run_migrate -d "$url" -v up --dry-run
unlike "$OUT$ERR" 'hazard [a-z-]+ migrations/' "-v shows no hazard either"
like "$ERR" '0010_validate_statistics_counters\.sql:18 \(0010_validate_statistics_counters up\): ACCESS EXCLUSIVE on statistics held [0-9]+ ms for a catalog change: not a hazard' \
	"SET NOT NULL after the validated check is a catalog change: no scan"
like "$ERR" '0006_index_user_room_room_id\.sql:10 cannot run in a transaction block: not observed' \
	"CREATE INDEX CONCURRENTLY is recognised in the no-transaction units"

# a few rows the notebook allowed: NULL counters; 0008 fills them
psql_val "$db" "UPDATE statistics SET wins = NULL WHERE user_id % 1000 = 1;
	UPDATE statistics SET total_played = NULL, wins = NULL, cur_straight_wins = NULL,
		max_straight_wins = NULL WHERE user_id % 1000 = 2" >/dev/null
run_migrate -d "$url" up
is "$RC" 0 "up applies 0006 to $last on 50,000 players"
is "$(psql_val "$db" "SELECT count(*) FROM statistics WHERE wins IS NULL OR total_played IS NULL
	OR cur_straight_wins IS NULL OR max_straight_wins IS NULL")" 0 "0008 filled every NULL counter"
is "$(psql_val "$db" "SELECT count(*) FROM statistics WHERE user_id % 1000 = 2 AND total_played = 0 AND wins = 0")" 50 \
	"with 0"
is "$(psql_val "$db" "SELECT string_agg(conname || ':' || convalidated, ',' ORDER BY conname) FROM pg_constraint
	WHERE conrelid = 'statistics'::regclass AND contype = 'c'")" \
	"statistics_counters_non_negative:true,statistics_wins_le_played:true" "the checks are validated"
is "$(psql_val "$db" "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
	WHERE attrelid = 'statistics'::regclass AND attnum > 0 AND attnotnull")" \
	"user_id,total_played,wins,cur_straight_wins,max_straight_wins" "the counters are NOT NULL"
is "$(psql_val "$db" "SELECT string_agg(indexrelid::regclass || ':' || indisvalid || ':' || indisunique, ',' ORDER BY indexrelid::regclass::text)
	FROM pg_index WHERE indexrelid::regclass::text IN
	('user_room_room_id_idx', 'user_achievements_achievement_id_idx', 'users_login_lower_key')")" \
	"user_achievements_achievement_id_idx:true:false,user_room_room_id_idx:true:false,users_login_lower_key:true:true" \
	"the three indexes are valid"
is "$(psql_val "$db" "SELECT count(*) FROM users WHERE login <> lower(login)")" 16666 "the logins are kept as they were"

# ---- the notebook application's statements still work
app() { run_cmd psql -XAtq -v ON_ERROR_STOP=1 -d "$url" -c "$1"; }
app "INSERT INTO users (login, password) VALUES ('ryan_gosling@gmail.com', 'x') RETURNING id"
is "$RC" 0 "the notebook's INSERT INTO users works"
uid=$OUT
app "INSERT INTO profiles (user_id, name, avatar) VALUES ($uid, 'Ryan Gosling', 'a.jpg')"
is "$RC" 0 "its INSERT INTO profiles works"
app "INSERT INTO statistics (user_id) VALUES ($uid) RETURNING total_played, wins, cur_straight_wins, max_straight_wins"
is "$RC $OUT" "0 0|0|0|0" "a statistics row that leaves the counters out gets zeros"
app "UPDATE statistics SET total_played = total_played + 1, wins = wins + 1 WHERE user_id = $uid"
is "$RC" 0 "counting a won game works"
app "SELECT id FROM users WHERE login = 'player3@Mail.example'"
is "$RC $OUT" "0 3" "a lookup by the login as registered still finds the player"
app "UPDATE statistics SET wins = total_played + 1 WHERE user_id = $uid"
like "$RC $ERR" '^1 .*statistics_wins_le_played' "more wins than games is refused"
app "UPDATE statistics SET wins = NULL WHERE user_id = $uid"
like "$RC $ERR" '^1 .*null value in column "wins"' "a NULL counter is refused"
app "INSERT INTO users (login, password) VALUES ('Ryan_Gosling@gmail.com', 'x')"
like "$RC $ERR" '^1 .*users_login_lower_key' "a login taken in another case is refused"
app "DELETE FROM game_rooms WHERE room_id = 7"
is "$RC" 0 "deleting a room cascades to its seats"
is "$(psql_val "$db" "SELECT count(*) FROM user_room WHERE room_id = 7")" 0 "and they are gone"
app "DELETE FROM users WHERE id = $uid"

run_migrate -d "$url" down --to 5
is "$RC" 0 "down --to 5 undoes $last to 0006"
a=$(dump "$db")
if is "$a" "$at5" "the schema after down --to 5 is exactly the 0005 schema (pg_dump --schema-only)"; then :; else
	diag "$(diff <(printf '%s\n' "$at5") <(printf '%s\n' "$a") | head -20)"
fi

# ---- logins that differ only by case: refused, nothing lost
db=$(fresh_db red7g_case) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
run_migrate -d "$url" up --to 5
psql_val "$db" "INSERT INTO users (login, password) VALUES ('ann@mail.example', 'x'), ('Ann@Mail.example', 'y'), ('bob', 'z')" >/dev/null
run_migrate -d "$url" up
is "$RC" 1 "up with two logins that differ only by case fails"
like "$ERR" '0011_users_login_case_insensitive\.sql:[0-9]+.*
.*users\.login has 1 logins shared, in different case, by several players' "naming the unit and the problem"
like "$ERR" "detail: the first is 'ann@mail\.example'" "and the first such login"
like "$ERR" 'hint: merge or rename those players' "and what to do"
is "$(psql_val "$db" "SELECT string_agg(login, ',' ORDER BY id) FROM users")" "ann@mail.example,Ann@Mail.example,bob" \
	"no login was changed or lost"
is "$(psql_val "$db" "SELECT count(*) FROM pg_class WHERE relname = 'users_login_lower_key'")" 0 "and no index was left behind"
psql_val "$db" "UPDATE users SET login = 'ann2@mail.example' WHERE login = 'Ann@Mail.example'" >/dev/null
run_migrate -d "$url" repair
run_migrate -d "$url" up
is "$RC" 0 "once resolved, repair and up apply 0011"

done_testing
