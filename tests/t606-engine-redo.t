#!/usr/bin/env bash
# t606: redo re-applies exactly the units it rolled back (never a pending
# out-of-order one instead), refuses before any down when either half
# would be refused (exit 6, nothing changed), and is all or nothing: a
# failing down (or up) leaves every unit applied.
. "$(dirname "$0")/lib/tap.sh"

bin=$(set_bin eng_redo)
db=$(fresh_db redo) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
rows() { psql_val "$db" "SELECT string_agg(version::text || ':' || state, ',' ORDER BY version) FROM schema_migrations"; }
tables() { psql_val "$db" "SELECT string_agg(relname::text, ',' ORDER BY relname) FROM pg_class WHERE relname ~ '^r[0-9]$'"; }

command_checks_all 0 'up +0006 create_r6 +ok' '^$' "up --to 6 applies six units" -- "$bin" -d "$url" up --to 6
command_checks_all 0 '^down +0006 create_r6 +ok.*
up +0006 create_r6 +ok' '^$' "redo rolls back and re-applies the newest unit" -- "$bin" -d "$url" redo
is "$(rows)" "1:applied,2:applied,3:applied,4:applied,5:applied,6:applied" "every unit is applied"

# ------------------------------------------------ an out-of-order pending unit
psql_val "$db" "DELETE FROM schema_migrations WHERE version = 2; DROP TABLE r2" >/dev/null
run_cmd "$bin" -d "$url" status
like "$OUT" '0002 +create_r2 +out-of-order' "0002 is pending below the highest applied version"
command_checks_all 0 '^down +0006 create_r6 +ok.*
up +0006 create_r6 +ok' '^$' "redo re-applies 0006, the unit it rolled back" -- "$bin" -d "$url" redo
unlike "$OUT" '0002' "and never touches the out-of-order unit"
is "$(rows)" "1:applied,3:applied,4:applied,5:applied,6:applied" "0006 is applied again, 0002 still pending"
command_checks_all 0 '^down +0006 create_r6 +ok.*
up +0006 create_r6 +ok' '^$' "with out_of_order on, redo still re-applies 0006" \
	-- env MIGRATE_OUT_OF_ORDER=true "$bin" -d "$url" redo
unlike "$OUT" '0002' "and not 0002"
is "$(rows)" "1:applied,3:applied,4:applied,5:applied,6:applied" "the history is as before"
command_checks_all 0 '0002 create_r2 +ok' '^$' "up --out-of-order applies 0002" -- "$bin" -d "$url" up --out-of-order --to 6

# ------------------------------------------------ all or nothing
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.fail_down = '3'" >/dev/null
before=$(psql_val "$db" "SELECT string_agg(applied_at::text, ',' ORDER BY version) FROM schema_migrations")
run_cmd "$bin" -d "$url" redo --step 5
is "$RC" 1 "redo --step 5 whose fourth down fails exits 1"
like "$ERR" 'unit 0003_create_r3 failed \(down step\)' "naming the unit whose down failed"
is "$(rows)" "1:applied,2:applied,3:applied,4:applied,5:applied,6:applied" "all six units stay applied"
is "$(tables)" "r1,r2,r3,r4,r5,r6" "and every table is there"
is "$(psql_val "$db" "SELECT string_agg(applied_at::text, ',' ORDER BY version) FROM schema_migrations")" "$before" \
	"the history rows are unchanged"
psql_val postgres "ALTER DATABASE \"$db\" SET migrate_test.fail_down = ''" >/dev/null
command_checks_all 0 '^down +0006.*
down +0005.*
down +0004.*
down +0003.*
down +0002.*
up +0002.*
up +0003.*
up +0004.*
up +0005.*
up +0006' '^$' "redo --step 5 then rolls five back and re-applies the same five" -- "$bin" -d "$url" redo --step 5
command_checks_all 0 'no drift' '^$' "the redone units record the fingerprint" -- "$bin" -d "$url" status

# ------------------------------------------------ refused before any down
command_checks_all 0 'up +0007 index_r6 +ok' '^$' "up applies the no-transaction unit" -- "$bin" -d "$url" up
run_cmd "$bin" -d "$url" redo
is "$RC" 6 "redo of a no-transaction unit is refused, exit 6"
like "$ERR" 'refusing to redo: no-transaction unit cannot be redone in one transaction: 0007 index_r6' \
	"the message names the unit and the reason"
like "$ERR" 'hint: .*migrate down --step N.*migrate up' "and hints at down and up"
unlike "$OUT" 'down' "no down step ran"
is "$(psql_val "$db" "SELECT to_regclass('r6_id_idx') IS NOT NULL")" t "the index is still there"
is "$(rows)" "1:applied,2:applied,3:applied,4:applied,5:applied,6:applied,7:applied" "nothing was changed"
psql_val "$db" "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1" >/dev/null
run_cmd "$bin" -d "$url" redo
is "$RC" 6 "a modified unit anywhere refuses redo too"
is "$(rows)" "1:applied,2:applied,3:applied,4:applied,5:applied,6:applied,7:applied" "nothing was changed"

done_testing
