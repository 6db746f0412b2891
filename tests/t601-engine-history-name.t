#!/usr/bin/env bash
# t601: history_table is read one way everywhere: Ops.Hist names the
# table "Ops"."Hist" when the runner creates it, reads and writes it, and
# when the fingerprint leaves it out (migrate schema never shows it).
. "$(dirname "$0")/lib/tap.sh"

db=$(fresh_db histname) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
psql_val "$db" 'CREATE SCHEMA "Ops"' >/dev/null
printf 'database_url: %s\nhistory_table: Ops.Hist\n' "$url" >migrate.yaml

# every unit of migrations/, and the newest one's version as its file writes it
nunits=$(ls "$MIGRATE_ROOT"/migrations | grep -c '^[0-9][0-9]*_[a-z0-9_]*\.\(pgc\|sql\)$')
newest=$(ls "$MIGRATE_ROOT"/migrations | grep '^[0-9][0-9]*_[a-z0-9_]*\.\(pgc\|sql\)$' | sort -n | tail -1 | cut -d_ -f1)
command_checks_all 0 'up +0005 ' '^$' "up applies the units with history_table Ops.Hist" -- "$MIGRATE_BIN" up
is "$(psql_val "$db" "SELECT count(*) FROM \"Ops\".\"Hist\"")" "$nunits" "the rows are in \"Ops\".\"Hist\""
is "$(psql_val "$db" "SELECT to_regclass('ops.hist') IS NULL")" t "no lower-case ops.hist was made"
run_migrate schema
is "$RC" 0 "migrate schema exits 0"
unlike "$OUT" 'Hist' "the history table is not in the fingerprint text"
like "$OUT" 'schema "?Ops"?' "the schema that holds it still is"
command_checks_all 0 'no drift' '^$' "status --check reports no drift" -- "$MIGRATE_BIN" status --check
psql_val "$db" 'ALTER TABLE "Ops"."Hist" ADD COLUMN note text' >/dev/null
command_checks_all 0 'no drift' '^$' "a change to the history table itself is no drift" -- "$MIGRATE_BIN" status --check
command_checks_all 0 "down +$newest " '^$' "down works on it" -- "$MIGRATE_BIN" down
is "$(psql_val "$db" "SELECT count(*) FROM \"Ops\".\"Hist\"")" "$((nunits - 1))" "and deletes the row there"

done_testing
