#!/usr/bin/env bash
# t807: verify's windowed observation (SPEC section 11, issue 13).  When
# every relation that counts is held in ACCESS EXCLUSIVE mode already
# (verify --all: the tables earlier units made), verify reads, after each
# statement, only the relations whose catalog rows the unit wrote since
# its catalog mark, the ones it dropped and the ones it scanned, instead
# of pg_locks and every earlier relation's catalog rows.  It must report
# exactly what the general observation reports.  The safe_window units
# make each kind of change on tables an earlier unit made, with rows:
# ADD/DROP COLUMN, SET NOT NULL (pg_attribute only), an index and its
# DROP INDEX (no row of the table's own), a NOT VALID foreign key and its
# drop (deleted constraint and trigger rows: the general reading, in the
# same query), VALIDATE (only the constraint's row), RENAME COLUMN, a
# trigger, a rewrite, rows touched in a temporary table after a catalog
# change, a lock taken again with a scan, a default stored and dropped on
# a table that stays, a table with defaults made and dropped, and a
# default that DROP SEQUENCE ... CASCADE takes from a table that stays, a
# partitioned table and index (no storage) dropped; the safe_inserts
# units, new relations read by their oids.  The expected reports are those
# of the general observation: `up --dry-run`, which has no window, for the
# up steps, and the binary before the window for the down steps (the
# lists below).
. "$(dirname "$0")/lib/tap.sh"
. "$MIGRATE_ROOT/tests/lib/roundtrips.sh"

roundtrips_server
bin=$(set_bin safe_window)
units=14

hazards()
{
	json_event "$1" hazard | jq -r '"\(.version) \(.step) \(.code) \(.relation) \(.lock) \(.rewrite) \(.rows_scanned)"'
}

# The -v lines of blocking locks held for a catalog change, without times.
listed()
{
	grep 'for a catalog change' <<<"$1" | sed -e 's/.*safe_window\///' -e 's/held [0-9]* ms/held N ms/'
}

# ------------------------------------------------------------------ verify
db=$(fresh_db swin) || BAIL_OUT "cannot create a database"
run_logged "$bin" "$db" -v --json verify --all
verify_out=$OUT
verify_err=$ERR
is "$RC" 8 "verify --all of the safe_window units exits 8 for its hazards"
is "$(json_event "$verify_out" verified | jq -r .result | sort -u)" reversible \
	"every unit is reversible"
is "$(grep -c 'observed through the catalog window' <<<"$verify_err")" $((2 * units)) \
	"every step of every unit is observed through the window"
is "$(hazards "$verify_out")" "3 up validation-scan rounds ACCESS EXCLUSIVE false 300
4 up blocks-reads rounds ACCESS EXCLUSIVE false 300
9 up rewrite rooms ACCESS EXCLUSIVE true 300
9 down rewrite rooms ACCESS EXCLUSIVE true 300
10 up held-across players ACCESS EXCLUSIVE false 0" \
	"the hazards are those of the general observation"
is "$(listed "$verify_err" | grep ' down)')" "0001_base.sql:14 (0001_base down): ACCESS EXCLUSIVE on rooms held N ms for a catalog change: not a hazard
0001_base.sql:15 (0001_base down): ACCESS EXCLUSIVE on rounds held N ms for a catalog change: not a hazard
0001_base.sql:16 (0001_base down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0002_add_column.sql:7 (0002_add_column down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0003_not_null.sql:7 (0003_not_null down): ACCESS EXCLUSIVE on rounds held N ms for a catalog change: not a hazard
0004_index.sql:9 (0004_index down): ACCESS EXCLUSIVE on rounds held N ms for a catalog change: not a hazard
0005_foreign_key.sql:8 (0005_foreign_key down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0005_foreign_key.sql:8 (0005_foreign_key down): ACCESS EXCLUSIVE on rounds held N ms for a catalog change: not a hazard
0006_validate.sql:8 (0006_validate down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0006_validate.sql:8 (0006_validate down): ACCESS EXCLUSIVE on rounds held N ms for a catalog change: not a hazard
0006_validate.sql:9 (0006_validate down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0006_validate.sql:9 (0006_validate down): ACCESS EXCLUSIVE on rounds held N ms for a catalog change: not a hazard
0007_rename.sql:7 (0007_rename down): ACCESS EXCLUSIVE on rooms held N ms for a catalog change: not a hazard
0008_trigger.sql:8 (0008_trigger down): ACCESS EXCLUSIVE on rooms held N ms for a catalog change: not a hazard
0010_held_across.sql:10 (0010_held_across down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0011_scan_only.sql:9 (0011_scan_only down): ACCESS EXCLUSIVE on side held N ms for a catalog change: not a hazard
0012_set_default.sql:10 (0012_set_default down): ACCESS EXCLUSIVE on rooms held N ms for a catalog change: not a hazard
0013_cascade_default.sql:13 (0013_cascade_default down): ACCESS EXCLUSIVE on seats held N ms for a catalog change: not a hazard
0013_cascade_default.sql:14 (0013_cascade_default down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0013_cascade_default.sql:15 (0013_cascade_default down): ACCESS EXCLUSIVE on players held N ms for a catalog change: not a hazard
0014_partitioned.sql:11 (0014_partitioned down): ACCESS EXCLUSIVE on parts held N ms for a catalog change: not a hazard
0014_partitioned.sql:11 (0014_partitioned down): ACCESS EXCLUSIVE on parts_1 held N ms for a catalog change: not a hazard
0014_partitioned.sql:12 (0014_partitioned down): ACCESS EXCLUSIVE on parts held N ms for a catalog change: not a hazard
0014_partitioned.sql:12 (0014_partitioned down): ACCESS EXCLUSIVE on parts_1 held N ms for a catalog change: not a hazard" \
	"the down steps' catalog changes are those of the general observation (DROP INDEX included, VALIDATE's up step not)"

# The observation is still one round trip per statement, and pg_locks is
# read by none of them (the prepared statement's text is logged once; the
# relation listings, after each unit verify applied again, do read it).
stmts=$(count_lines "$TRIPS" '^SAVEPOINT migrate_safety_obs;')
ok "one observation per statement ($stmts)" test "$stmts" -gt $((2 * units))
is "$(count_lines "$TRIPS" '^SAVEPOINT migrate_safety_obs;.*pg_locks')" 0 \
	"no observation reads pg_locks"
is "$(count_lines "$TRIPS" 'migrate_safety_obs;PREPARE')" 1 \
	"the window's statements are prepared once for the run"
is "$(count_lines "$TRIPS" '^ROLLBACK;DEALLOCATE migrate_safety_[0-9]+_g;DEALLOCATE')" 1 \
	"and deallocated with verify's ROLLBACK, in the same round trip"

# ------------------------------------- the database's owner, no superuser
# What the window reads (txid_status, the statistics counters) and what
# it does (PREPARE) need no privilege beyond owning the database.
db=$(fresh_db swin_owner) || BAIL_OUT "cannot create a database"
role="swin_owner_${BASHPID}_$RANDOM"
psql_val postgres "CREATE ROLE \"$role\" LOGIN NOSUPERUSER" >/dev/null || BAIL_OUT "cannot create a role"
psql_val postgres "ALTER DATABASE \"$db\" OWNER TO \"$role\"" >/dev/null
psql_val "$db" "ALTER SCHEMA public OWNER TO \"$role\"" >/dev/null
run_cmd "$bin" -d "postgresql:///$db?host=$PGHOST&port=$PGPORT&user=$role" -v --json verify --all
is "$RC" 8 "verify --all as the owner without superuser exits 8"
is "$(grep -c 'observed through the catalog window' <<<"$ERR")" $((2 * units)) \
	"and observes every step through the window"
is "$(grep -c 'observation of this step failed' <<<"$ERR")" 0 "no observation fails"
is "$(hazards "$OUT")" "$(hazards "$verify_out")" "with the same hazards"

# --------------------------------------------- a guarded query that fails
# The observation and verify's catalog check each run in a savepoint of
# their own (db_batch_guarded): a failure is undone there and the unit's
# transaction goes on.  safe_broken's 0002 deallocates the window's
# prepared statements (its observation fails; the run goes on with the
# general one), 0003 drops verify's mark table (its catalog check fails;
# the schema is described instead); 0004 comes after both.
broken=$(set_bin safe_broken)
db=$(fresh_db swin_broken) || BAIL_OUT "cannot create a database"
run_cmd "$broken" -d "$(db_url "$db")" -v --json verify --all
is "$RC" 0 "verify --all of the safe_broken units passes"
is "$(json_event "$OUT" verified | jq -r '"\(.version) \(.result)"' | paste -sd, -)" \
	"1 reversible,2 reversible,3 reversible,4 reversible" \
	"every unit is verified, after the failed observation and the failed check too"
is "$(grep -c 'observation of this step failed' <<<"$ERR")" 1 \
	"one observation fails, with a warning"
is "$(grep -c 'failed, so it is not reported: prepared statement "migrate_safety_[0-9]*_g" does not exist' <<<"$ERR")" 1 \
	"its cause is named"
is "$(grep -c 'catalog check failed (relation "pg_temp.migrate_verify_mark" does not exist); the schema is described' <<<"$ERR")" 1 \
	"the failed catalog check sends the unit to the exact path"
is "$(grep -c 'observed through the catalog window' <<<"$ERR")" 3 \
	"after the failure the run observes without the window"

# ------------------------------------------- the statements prepared again
# The server keeps the plan it made for the first unit's catalogs; when
# the relations followed have doubled (and are 64 or more), the window's
# statements are prepared again, in the same message as the observation.
many=$(set_bin safe_many)
db=$(fresh_db swin_many) || BAIL_OUT "cannot create a database"
run_logged "$many" "$db" -v --json verify --all
is "$RC" 0 "verify --all of the safe_many units passes"
is "$(json_event "$OUT" verified | jq -r .result | paste -sd, -)" reversible,reversible \
	"both units are reversible"
is "$(grep -c 'observed through the catalog window' <<<"$ERR")" 4 \
	"every step is observed through the window"
is "$(count_lines "$TRIPS" 'migrate_safety_obs;PREPARE')" 1 "prepared once at first"
is "$(count_lines "$TRIPS" 'migrate_safety_obs;DEALLOCATE migrate_safety_[0-9]+_g;DEALLOCATE migrate_safety_[0-9]+_w;PREPARE')" 1 \
	"and again, once, after the seventy tables"
is "$(count_lines "$TRIPS" '^ROLLBACK;DEALLOCATE migrate_safety_[0-9]+_g;DEALLOCATE')" 1 \
	"deallocated with verify's ROLLBACK"
is "$(grep -c 'observation of this step failed' <<<"$ERR")" 0 "no observation fails"
is "$(listed "$ERR" | grep ' up)' | sed 's/.*safe_many\///')" "0002_more.sql:5 (0002_more up): ACCESS EXCLUSIVE on many_1 held N ms for a catalog change: not a hazard" \
	"the statements prepared again see the catalog change"
is "$(listed "$ERR" | grep -c ' down)')" 72 \
	"and the down steps' (seventy drops, one column, one table made by its up)"

# ------------------------------------------ new relations by their oids
# A statement that only inserts pg_class rows made new relations, whose
# oids come after every oid the window has seen in the run: the window
# reads them by the oid index instead of passing over pg_class, and
# passes over it when the range holds fewer of the transaction's rows
# than the statement inserted (an insert rolled back inside it).  The
# reports stay those of the general observation (up --dry-run).
ins=$(set_bin safe_inserts)
db=$(fresh_db swin_ins) || BAIL_OUT "cannot create a database"
run_cmd "$ins" -d "$(db_url "$db")" -v --json verify --all
ins_out=$OUT
ins_err=$ERR
is "$RC" 8 "verify --all of the safe_inserts units exits 8 for their hazards"
is "$(json_event "$ins_out" verified | jq -r .result | sort -u)" reversible \
	"every unit is reversible"
is "$(grep -c 'observed through the catalog window' <<<"$ins_err")" 8 \
	"every step is observed through the window"
is "$(grep 'read by their oids' <<<"$ins_err" | sed 's/.*safe_inserts\///')" \
	"0001_base.sql:7 (0001_base up): new relations read by their oids
0002_index.sql:6 (0002_index up): new relations read by their oids" \
	"the second table and the index are read by their oids; the first table (no bound yet), the rolled-back insert and the update are not"
is "$(hazards "$ins_out")" "2 up blocks-reads seats ACCESS EXCLUSIVE false 300
3 up blocks-reads seats ACCESS EXCLUSIVE false 600" \
	"the indexes built on the table with rows are reported"
is "$(listed "$ins_err" | sed 's/.*safe_inserts\///')" "0001_base.sql:11 (0001_base down): ACCESS EXCLUSIVE on tallies held N ms for a catalog change: not a hazard
0001_base.sql:12 (0001_base down): ACCESS EXCLUSIVE on seats held N ms for a catalog change: not a hazard
0002_index.sql:9 (0002_index down): ACCESS EXCLUSIVE on seats held N ms for a catalog change: not a hazard
0003_rolled_back.sql:20 (0003_rolled_back down): ACCESS EXCLUSIVE on seats held N ms for a catalog change: not a hazard
0004_add_column.sql:5 (0004_add_column up): ACCESS EXCLUSIVE on seats held N ms for a catalog change: not a hazard
0004_add_column.sql:8 (0004_add_column down): ACCESS EXCLUSIVE on seats held N ms for a catalog change: not a hazard" \
	"and so are the catalog changes on it"
db=$(fresh_db swin_ins_dry) || BAIL_OUT "cannot create a database"
run_cmd "$ins" -d "$(db_url "$db")" -v --json up --dry-run
is "$RC" 8 "up --dry-run of the same units exits 8"
is "$(hazards "$OUT")" "$(hazards "$ins_out" | grep ' up ')" \
	"its hazards are verify's up-step hazards"
is "$(listed "$ERR")" "$(listed "$ins_err" | grep ' up)')" \
	"and so are its catalog changes"

# ----------------------------------------------- up --dry-run, no window
db=$(fresh_db swin_dry) || BAIL_OUT "cannot create a database"
run_cmd "$bin" -d "$(db_url "$db")" -v --json up --dry-run
is "$RC" 8 "up --dry-run of the same units exits 8"
is "$(grep -c 'observed through the catalog window' <<<"$ERR")" 0 "a dry run has no window"
is "$(hazards "$OUT")" "$(hazards "$verify_out" | grep ' up ')" \
	"the dry run's hazards are verify's up-step hazards"
is "$(listed "$ERR")" "$(listed "$verify_err" | grep ' up)')" \
	"and so are its catalog changes"

done_testing
