#!/usr/bin/env bash
# t414: the example units in docs/units.md build into a binary and do what
# the page says: COPY, host variables, a cursor backfill, a batched
# no-transaction backfill, CREATE INDEX CONCURRENTLY, an irreversible unit.
. "$(dirname "$0")/lib/tap.sh"

# Every ```c block after a "<!-- unit: FILE -->" line becomes docs/FILE.
mkdir -p docs
awk '/^<!-- unit: .* -->$/ { file = $3; next }
	file != "" && /^```c$/ { out = "docs/" file; printf "" > out; next }
	out != "" && /^```$/ { close(out); out = ""; file = ""; next }
	out != "" { print > out }' "$MIGRATE_ROOT/docs/units.md"
is "$(ls docs | paste -sd' ')" \
	"0001_create_players.pgc 0002_add_rating.pgc 0003_load_players.pgc 0004_backfill_rating.pgc 0005_backfill_rank_in_batches.pgc 0006_index_players_by_rating.pgc 0007_drop_comment.pgc" \
	"the page has seven example units"

build_units docs
is "$RC" 0 "the examples build without a warning" || diag "$ERR"
bin=$PWD/out-docs/migrate

db=$(fresh_db docs) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
command_checks_all 0 '^up +0001 create_players.*
up +0007 drop_comment +ok' '^$' "up applies the seven examples" -- "$bin" -d "$url" up
is "$(psql_val "$db" "SELECT count(*) FROM players")" 10000 "COPY loaded 10,000 players"
is "$(psql_val "$db" "SELECT value FROM rating_floor")" 1000 "the indicator variable saw max() of no rows as NULL"
is "$(psql_val "$db" "SELECT count(*) FROM players WHERE rating IS DISTINCT FROM points + 1000")" 0 \
	"the cursor backfill set every rating"
is "$(psql_val "$db" "SELECT count(*) FROM players WHERE rank_bucket IS DISTINCT FROM points / 100")" 0 \
	"the batched no-transaction backfill set every rank bucket"
is "$(psql_val "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = 'players_rating_idx'::regclass")" t \
	"the concurrent index is valid"
is "$(psql_val "$db" "SELECT obj_description('players'::regclass, 'pg_class') IS NULL")" t \
	"the irreversible unit dropped the comment"

command_checks_all 6 '' 'irreversible: 0007 drop_comment' "down refuses the irreversible example" \
	-- "$bin" -d "$url" down
psql_val "$db" "DELETE FROM schema_migrations WHERE version = 7"
command_checks_all 0 '^down +0006 index_players_by_rating.*
down +0005 backfill_rank_in_batches.*
down +0004 backfill_rating.*
down +0003 load_players.*
down +0002 add_rating.*
down +0001 create_players' '^$' "the other examples roll back" -- "$bin" -d "$url" down --all
is "$(psql_val "$db" "SELECT count(*) FROM pg_class WHERE relname IN ('players', 'rating_floor')")" 0 \
	"nothing of them is left"

done_testing
