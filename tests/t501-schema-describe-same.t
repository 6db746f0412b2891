#!/usr/bin/env bash
# t501: the describe statement of today gives, byte for byte, the text,
# and so the hash, of the statement that every fingerprint recorded so far
# was computed with (tests/schema/describe-v1.sql, kept verbatim).  Both
# run on the same catalog: the rich fixture of t500 (one of everything
# the fingerprint describes), a comment on every kind of object that
# takes one, and the Red7 units with their history table; again under
# session settings that the pins must override; and on a new database.
# The fingerprint that up records inside its last unit's transaction is
# the hash of that same text.
. "$(dirname "$0")/lib/tap.sh"

old_sql=$MIGRATE_ROOT/tests/schema/describe-v1.sql
tmp=$(test_tmpdir)

# old_text DB OUT: the frozen statement's text for DB, written to OUT
# (psql adds a newline after the value, which ends with its own)
old_text() {
	psql -X -At -1 -v ON_ERROR_STOP=1 -v history_schema=public \
		-v history_name=schema_migrations -d "$1" -f "$old_sql" >"$2.raw" &&
		sed '$d' "$2.raw" >"$2"
}

# new_text DB OUT: `migrate schema`, the statement of this build
new_text() {
	"$MIGRATE_BIN" -d "$(db_url "$1")" schema >"$2"
}

db=$(fresh_db describe) || BAIL_OUT "cannot create a database"
psql_val postgres "DO \$\$BEGIN CREATE ROLE t501_reader; CREATE ROLE t501_owner;
	EXCEPTION WHEN duplicate_object THEN NULL; END\$\$" >/dev/null ||
	BAIL_OUT "cannot create the fixture's roles"
sed 's/fp_reader/t501_reader/g; s/fp_owner/t501_owner/g' \
	"$MIGRATE_ROOT/tests/schema/rich.sql" >"$tmp/rich.sql"
cat >>"$tmp/rich.sql" <<'SQL'
COMMENT ON EXTENSION citext IS 'case-insensitive text';
COMMENT ON SCHEMA public IS 'the public schema';
COMMENT ON TYPE app.mood IS 'an enum';
COMMENT ON TYPE app.pair IS 'a composite';
COMMENT ON TYPE app.floatrange IS 'a range';
COMMENT ON DOMAIN app.posint IS 'a domain';
COMMENT ON CONSTRAINT posint_check ON DOMAIN app.posint IS 'a domain''s check';
COMMENT ON COLLATION app.nocase IS 'not shown';
COMMENT ON SEQUENCE app.ticket_seq IS 'a sequence';
COMMENT ON TABLE app.events_2024 IS 'a partition';
COMMENT ON TABLE app.events IS 'a partitioned table';
COMMENT ON COLUMN app.child.extra IS 'a child''s column';
COMMENT ON CONSTRAINT rooms_span_check ON app.rooms IS 'a check';
COMMENT ON INDEX app.users_nick_idx IS 'an index';
COMMENT ON INDEX app.events_at_idx IS 'a partitioned index';
COMMENT ON TRIGGER users_touch ON app.users IS 'a trigger';
COMMENT ON POLICY users_self ON app.users IS 'a policy';
COMMENT ON RULE scratch_no_delete ON app.scratch IS 'a rule';
COMMENT ON VIEW app.active_users IS 'a view';
COMMENT ON MATERIALIZED VIEW app.room_counts IS E'a materialized\nview';
COMMENT ON COLUMN app.room_counts.n IS 'a view''s column';
COMMENT ON FOREIGN TABLE app.passwd IS 'a foreign table';
COMMENT ON COLUMN app.passwd.line IS 'a foreign column';
COMMENT ON AGGREGATE app.total(integer) IS 'an aggregate';
COMMENT ON PROCEDURE app.reset_scores() IS 'a procedure';
COMMENT ON STATISTICS app.users_stats IS 'not shown';
COMMENT ON EVENT TRIGGER app_ddl IS 'not shown';
SQL
ok "the rich fixture and a comment on every kind of object load" \
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$tmp/rich.sql"
run_migrate -d "$(db_url "$db")" up --to 5
is "$RC" "0" "up applies the Red7 units on top"

old_text "$db" "$tmp/old.txt"
new_text "$db" "$tmp/new.txt"
ok "the frozen statement describes the database" test -s "$tmp/old.txt"
ok "today's statement gives the same text, byte for byte" cmp "$tmp/old.txt" "$tmp/new.txt"
missing=
for kind in extension schema type attribute domain-constraint function \
	procedure aggregate table partitioned-table view materialized-view \
	sequence column constraint index trigger policy foreign-table; do
	grep -q "^$kind .* comment '" "$tmp/new.txt" || missing="$missing $kind"
done
# a rule's comment follows its definition, on its last line
grep -q "INSTEAD NOTHING; comment 'a rule'$" "$tmp/new.txt" || missing="$missing rule"
is "$missing" "" "every kind of line that shows a comment has one"

hash=$(sha256sum <"$tmp/old.txt" | cut -c1-64)
is "$(psql_val "$db" "SELECT schema_hash FROM schema_migrations ORDER BY version DESC LIMIT 1")" \
	"$hash" "up recorded the hash of that text, computed in its last unit's transaction"

# session settings the pins override: both statements give the same text
export PGOPTIONS="-c search_path=app,public -c DateStyle=SQL,DMY -c extra_float_digits=3 -c TimeZone=Asia/Tokyo"
old_text "$db" "$tmp/old-set.txt"
new_text "$db" "$tmp/new-set.txt"
unset PGOPTIONS
ok "under other session settings the texts are the same too" cmp "$tmp/old-set.txt" "$tmp/new-set.txt"
ok "and the same as under the defaults" cmp "$tmp/old.txt" "$tmp/new-set.txt"

fresh=$(fresh_db describe_new) || BAIL_OUT "cannot create a database"
old_text "$fresh" "$tmp/old-fresh.txt"
new_text "$fresh" "$tmp/new-fresh.txt"
ok "on a new database (plpgsql alone) both texts are the same" cmp "$tmp/old-fresh.txt" "$tmp/new-fresh.txt"

done_testing
