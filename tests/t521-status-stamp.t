#!/usr/bin/env bash
# t521: status trusts the recorded fingerprint without recomputing it only
# while no transaction has completed since the run that recorded it (the
# stamp, docs/fingerprint.md).  Every kind of change the fingerprint
# covers is still reported as drift, including changes that touch no
# table's row in pg_class, and a transaction that was open while the
# fingerprint was computed and commits later is never hidden.
. "$(dirname "$0")/lib/tap.sh"

# A server of its own: any transaction that completes anywhere in the
# cluster ends a stamp, so the suite's shared server would end them at
# random.
pgdir=$(test_tmpdir)/pg
pg_start "$pgdir" || BAIL_OUT "cannot start a server"
PGHOST=$pgdir
PGPORT=$(pg_port "$pgdir") || BAIL_OUT "no port for the server in $pgdir"
export PGHOST PGPORT
db=$(fresh_db stamp) || BAIL_OUT "cannot create a database"
export DATABASE_URL=$(db_url "$db")
HOLDS='its stamp holds'

# Re-records the fingerprint: the newest unit rolled back and applied again.
record() {
	"$MIGRATE_BIN" down --to 4 -q && "$MIGRATE_BIN" up --to 5 -q
}

# Waits up to 10 s until SQL (a count) reads 1.
wait_for_one() {
	local _
	for _ in $(seq 1 100); do
		[ "$(psql_val "$db" "$1")" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# status -v: sets OUT (the JSON summary), ERR and RC
status_v() {
	run_migrate status --json -v
}

run_migrate up --to 5 -v
is "$RC" "0" "up applies the Red7 units"
like "$ERR" 'recorded with a stamp' "the run's fingerprint is recorded with a stamp"
like "$(psql_val "$db" "SELECT col_description('schema_migrations'::regclass, (SELECT attnum FROM pg_attribute WHERE attrelid = 'schema_migrations'::regclass AND attname = 'schema_hash'))")" \
	'^migrate:fingerprint-stamp v1 xmax=[0-9]+ describe=[0-9a-f]{16} server=[0-9]+ encoding=UTF8 cluster=[0-9]+ invalid=$' \
	"the stamp is a comment on the schema_hash column"
status_v
like "$ERR" "$HOLDS" "right after up, status does not recompute the fingerprint"
is "$(json_field "$OUT" drift)" "false" "and reports no drift"
is "$(json_field "$OUT" live_hash)" "$("$MIGRATE_BIN" schema | sha256sum | cut -c1-64)" "the hash it reports is the live schema's"

run_migrate up --to 5
status_v
like "$ERR" "$HOLDS" "an up with nothing to do leaves the stamp valid"

# Any completed transaction, even one that changes only data, ends the
# stamp: status then computes the fingerprint, and finds no drift.
psql_val "$db" "INSERT INTO users (login, password) VALUES ('a', 'x')" >/dev/null
status_v
unlike "$ERR" "$HOLDS" "after a data change status recomputes the fingerprint"
is "$(json_field "$OUT" drift)" "false" "and still finds no drift"

# Each change is made after a fresh record; the fingerprint must see it
# and status must report it.  Most touch no table's row in pg_class.
changes=(
	"a new table|CREATE TABLE extra (id int)"
	"a new column|ALTER TABLE users ADD COLUMN nickname text"
	"a column type|ALTER TABLE achievements ALTER COLUMN name TYPE varchar(200)"
	"a default|ALTER TABLE users ALTER COLUMN nickname SET DEFAULT 'anon'"
	"NOT NULL|UPDATE users SET nickname = 'anon'; ALTER TABLE users ALTER COLUMN nickname SET NOT NULL"
	"an index|CREATE INDEX users_nickname_idx ON users (nickname)"
	"a check constraint|ALTER TABLE users ADD CONSTRAINT nickname_len CHECK (length(nickname) < 40)"
	"a column comment|COMMENT ON COLUMN users.nickname IS 'shown to other players'"
	"a table comment|COMMENT ON TABLE users IS 'players'"
	"a function|CREATE FUNCTION score() RETURNS int LANGUAGE sql AS 'SELECT 1'"
	"a function body|CREATE OR REPLACE FUNCTION score() RETURNS int LANGUAGE sql AS 'SELECT 2'"
	"a function grant|REVOKE EXECUTE ON FUNCTION score() FROM PUBLIC"
	"an enum|CREATE TYPE mood AS ENUM ('calm')"
	"an enum label|ALTER TYPE mood ADD VALUE 'angry'"
	"a domain|CREATE DOMAIN points AS int CHECK (VALUE >= 0)"
	"a schema|CREATE SCHEMA side"
	"a schema comment|COMMENT ON SCHEMA side IS 'side tables'"
	"default privileges|ALTER DEFAULT PRIVILEGES IN SCHEMA side GRANT SELECT ON TABLES TO PUBLIC"
	"a view|CREATE VIEW logins AS SELECT login FROM users"
	"a view body|CREATE OR REPLACE VIEW logins AS SELECT login, last_visited FROM users"
	"a table grant|GRANT SELECT ON users TO PUBLIC"
	"a column grant|GRANT UPDATE (nickname) ON users TO PUBLIC"
	"a trigger|CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'; CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch()"
	"a disabled trigger|ALTER TABLE users DISABLE TRIGGER users_touch"
	"row security|ALTER TABLE users ENABLE ROW LEVEL SECURITY"
	"a policy|CREATE POLICY own ON users USING (login = current_user)"
	"a sequence option|ALTER SEQUENCE users_id_seq INCREMENT BY 2"
	"a rule|CREATE RULE no_delete AS ON DELETE TO achievements DO INSTEAD NOTHING"
	"statistics|CREATE STATISTICS users_stats ON login, last_visited FROM users"
	"a collation|CREATE COLLATION side.bytes (provider = libc, locale = 'C')"
	"an owner|CREATE ROLE t521_owner; ALTER TABLE achievements OWNER TO t521_owner"
	"a role's name, in a shared catalog only|ALTER ROLE t521_owner RENAME TO t521_renamed"
)
at_exit "psql -XAtq -d '$db' -c 'DROP OWNED BY t521_renamed; DROP ROLE t521_renamed' >/dev/null 2>&1"
for c in "${changes[@]}"; do
	what=${c%%|*}
	sql=${c#*|}
	record
	status_v
	like "$ERR" "$HOLDS" "before $what: the stamp holds"
	before=$(json_field "$OUT" recorded_hash)
	run_cmd psql -XAtq -v ON_ERROR_STOP=1 -d "$db" -c "$sql"
	is "$RC" "0" "$what: made by hand"
	isnt "$("$MIGRATE_BIN" schema | sha256sum | cut -c1-64)" "$before" "$what: the fingerprint covers it"
	status_v
	unlike "$ERR" "$HOLDS" "$what: status recomputes"
	is "$(json_field "$OUT" drift)" "true" "$what: status reports drift"
done

# A transaction that was open while up computed the fingerprint, and
# commits afterwards, would be invisible to a stamp that looked only at
# the newest transaction id: up records no stamp then.
record
fifo=$(test_tmpdir)/open-txn
mkfifo "$fifo"
psql -XAtq -d "$db" <"$fifo" >/dev/null 2>&1 &
open_pid=$!
exec 7>"$fifo"
echo "BEGIN; CREATE TABLE opened_before (id int);" >&7
wait_for_one "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND backend_xid IS NOT NULL"
"$MIGRATE_BIN" down --to 4 -q
run_migrate up --to 5 -v
like "$ERR" 'recorded without a stamp' "up records no stamp while another transaction is open"
echo "COMMIT;" >&7
exec 7>&-
wait "$open_pid"
is "$(psql_val "$db" "SELECT to_regclass('opened_before') IS NOT NULL")" "t" "the open transaction committed after up"
status_v
unlike "$ERR" "$HOLDS" "status recomputes"
is "$(json_field "$OUT" drift)" "true" "and reports the table it created as drift"

# An index whose validity flips while a concurrent build or drop runs.
record
run_cmd psql -XAtq -d "$db" -c "CREATE INDEX ach_name_idx ON achievements (name)"
record
status_v
like "$ERR" "$HOLDS" "the stamp holds before DROP INDEX CONCURRENTLY"
mkfifo "$fifo.2"
psql -XAtq -d "$db" <"$fifo.2" >/dev/null 2>&1 &
reader_pid=$!
exec 7>"$fifo.2"
echo "BEGIN; SELECT count(*) FROM achievements;" >&7
wait_for_one "SELECT count(*) FROM pg_locks WHERE relation = 'achievements'::regclass AND granted AND pid <> pg_backend_pid()"
psql -XAtq -d "$db" -c "DROP INDEX CONCURRENTLY ach_name_idx" >/dev/null 2>&1 &
dic_pid=$!
wait_for_one "SELECT count(*) FROM pg_index WHERE indexrelid = to_regclass('ach_name_idx') AND NOT indisvalid"
is "$(psql_val "$db" "SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('ach_name_idx')")" "f" \
	"DROP INDEX CONCURRENTLY has marked the index invalid and waits for a reader"
status_v
unlike "$ERR" "$HOLDS" "status recomputes while the index is invalid"
is "$(json_field "$OUT" drift)" "true" "and reports the invalid index as drift"
echo "COMMIT;" >&7
exec 7>&-
wait "$reader_pid" "$dic_pid"

# The stamp holds for the client encoding it was made under only: the
# fingerprint hashes the text in the client's encoding.
record
PGCLIENTENCODING=LATIN1 run_migrate status --json -v
unlike "$ERR" "$HOLDS" "under another client encoding status recomputes"
is "$(json_field "$OUT" drift)" "false" "and finds no drift (the names are ASCII)"

# A hand-made stamp that claims more than the database shows is ignored.
psql_val "$db" "COMMENT ON COLUMN schema_migrations.schema_hash IS 'migrate:fingerprint-stamp v1 xmax=1 describe=0 server=0 encoding=UTF8 cluster=0 invalid='" >/dev/null
status_v
unlike "$ERR" "$HOLDS" "a stamp that does not match is not trusted"
is "$(json_field "$OUT" drift)" "false" "and status computes the same answer"

done_testing
