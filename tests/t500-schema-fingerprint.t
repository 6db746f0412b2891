#!/bin/bash
# t500-schema-fingerprint.t: the schema fingerprint (SPEC section 6).
#
# Starts a throwaway PostgreSQL server (unix socket only, as the postgres
# user when run as root) in a temporary directory, builds the test driver
# tests/schema/schema_dump.c against $MIGRATE_BUILD/libmigrate.a (default
# build/; a build-asan tree gets the sanitizers too), and checks that:
#   - a difference in any described object changes the fingerprint (and
#     pg_dump --schema-only shows that difference too);
#   - databases built in different ways whose pg_dump --schema-only is the
#     same (without its comments and \restrict lines) get the same one;
#   - the history table is left out, temporary schemas are left out;
#   - it is one query (settings pinned first), works inside the caller's transaction, fails
#     with a one-line reason, and takes well under a second on 500 tables.
# The server is stopped on every exit.  A failed run keeps its directory
# (server log, texts, dumps) and says where.
#
# Run from anywhere: prove tests/t500-schema-fingerprint.t
# Environment: MIGRATE_BUILD (build tree), PG_BINDIR (server binaries,
# default: pg_config --bindir), T500_TABLES (size of the timing database,
# default 500).

set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
build=${MIGRATE_BUILD:-build}
pgbin=${PG_BINDIR:-$(pg_config --bindir)}
tables=${T500_TABLES:-500}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t500.XXXXXX") || exit 1
chmod 755 "$tmp"
sock=$tmp/sock
port=5432
log=$tmp/test.log
driver=$tmp/schema_dump
count=0
failed=0
server_up=0

# ------------------------------------------------------------ TAP helpers
ok()
{
	local pass=$1
	shift
	count=$((count + 1))
	if [ "$pass" = 0 ]; then
		echo "ok $count - $*"
	else
		echo "not ok $count - $*"
		failed=$((failed + 1))
	fi
}

diag()
{
	sed 's/^/# /'
}

bail()
{
	echo "Bail out! $*"
	exit 1
}

# ------------------------------------------------------------ the server
as_postgres()
{
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

cleanup()
{
	if [ "$server_up" = 1 ]; then
		as_postgres "$pgbin/pg_ctl" -D "$tmp/data" -m immediate -w stop \
			>>"$log" 2>&1
	fi
	if [ "$failed" = 0 ] && [ "$count" -gt 0 ]; then
		rm -rf "$tmp"
	else
		echo "# kept $tmp (server log: $tmp/server.log, test log: $log)"
	fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

start_server()
{
	mkdir -p "$tmp/data" "$sock" && chmod 777 "$sock" || return 1
	[ "$(id -u)" = 0 ] && chown postgres "$tmp/data" "$tmp"
	as_postgres "$pgbin/initdb" -D "$tmp/data" -A trust -U postgres \
		-E UTF8 --locale=C.UTF-8 >>"$log" 2>&1 || return 1
	cat >>"$tmp/data/postgresql.conf" <<-EOF
		listen_addresses = ''
		unix_socket_directories = '$sock'
		port = $port
		fsync = off
		log_line_prefix = '%a '
		log_statement = 'all'
	EOF
	as_postgres "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
		start >>"$log" 2>&1 || return 1
	server_up=1
}

conninfo()
{
	echo "host=$sock port=$port user=postgres dbname=$1${2:+ application_name=$2}"
}

sql()
{
	local db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U postgres -d "$db" \
		"$@"
}

# makes database $1 from the SQL in $2
mkdb()
{
	createdb -h "$sock" -p "$port" -U postgres "$1" >>"$log" 2>&1 &&
		printf '%s\n' "$2" | sql "$1" >>"$log" 2>&1
}

# prints the fingerprint of database $1 (history table $2), keeping the
# text in $tmp/$1.txt
fp()
{
	"$driver" "$(conninfo "$1")" ${2:+"$2"} >"$tmp/$1.txt" 2>>"$log" &&
		tail -n 1 "$tmp/$1.txt" | sed -n 's/^fingerprint //p'
}

# pg_dump --schema-only of $1 into $tmp/$1.dump, without comments and the
# random \restrict lines
dump()
{
	pg_dump --schema-only -h "$sock" -p "$port" -U postgres "$1" 2>>"$log" |
		grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' >"$tmp/$1.dump"
}

# The pairs below are checked in parallel ($T500_JOBS at a time, default
# 4), each in its own two databases; a pair's result goes to
# $tmp/pair.N (status, test name, then diagnostics) and report_pairs
# prints them in order.
pair=0
jobs_max=${T500_JOBS:-4}

# result N STATUS NAME: starts the record of pair N; diagnostics follow
# on stdin
result()
{
	{
		echo "$2"
		echo "$3"
		cat
	} >"$tmp/pair.$1"
}

# check_differ N WHAT SQL_A SQL_B [hidden]: databases that differ in WHAT
# must have different fingerprints.  pg_dump must show the difference
# too, or the pair is wrong; with "hidden", pg_dump must not show it (the
# few documented places where the fingerprint sees more than pg_dump).
check_differ()
{
	local n=$1 what="a difference in $2 changes the fingerprint"
	local a=d${1}a b=d${1}b ha hb
	if ! mkdb "$a" "$3" || ! mkdb "$b" "$4"; then
		result "$n" 1 "$what (setup failed, see $log)" </dev/null
		return
	fi
	ha=$(fp "$a")
	hb=$(fp "$b")
	dump "$a"
	dump "$b"
	if [ "${5:-}" = hidden ]; then
		if ! cmp -s "$tmp/$a.dump" "$tmp/$b.dump"; then
			result "$n" 1 "$what (pg_dump shows it: not hidden)" </dev/null
			return
		fi
		what="$what (pg_dump does not show it)"
	elif cmp -s "$tmp/$a.dump" "$tmp/$b.dump"; then
		result "$n" 1 "$what (pg_dump shows no difference: bad pair)" </dev/null
		return
	fi
	if [ -n "$ha" ] && [ -n "$hb" ] && [ "$ha" != "$hb" ]; then
		result "$n" 0 "$what" </dev/null
	else
		diff "$tmp/$a.dump" "$tmp/$b.dump" | head -n 20 | result "$n" 1 "$what"
	fi
}

# check_same N WHAT SQL_A SQL_B: databases whose pg_dump is the same must
# have the same fingerprint
check_same()
{
	local n=$1 what="$2 give the same fingerprint"
	local a=s${1}a b=s${1}b ha hb
	if ! mkdb "$a" "$3" || ! mkdb "$b" "$4"; then
		result "$n" 1 "$what (setup failed, see $log)" </dev/null
		return
	fi
	ha=$(fp "$a")
	hb=$(fp "$b")
	dump "$a"
	dump "$b"
	if ! cmp -s "$tmp/$a.dump" "$tmp/$b.dump"; then
		diff "$tmp/$a.dump" "$tmp/$b.dump" | head -n 20 |
			result "$n" 1 "$what (pg_dump differs: bad pair)"
	elif [ -n "$ha" ] && [ "$ha" = "$hb" ]; then
		result "$n" 0 "$what" </dev/null
	else
		diff "$tmp/$a.txt" "$tmp/$b.txt" | head -n 20 | result "$n" 1 "$what"
	fi
}

spawn()
{
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do
		wait -n
	done
	pair=$((pair + 1))
	"$1" "$pair" "${@:2}" &
}

differ()
{
	spawn check_differ "$@"
}

same()
{
	spawn check_same "$@"
}

report_pairs()
{
	local i
	wait
	for i in $(seq "$pair"); do
		if [ -f "$tmp/pair.$i" ]; then
			ok "$(sed -n 1p "$tmp/pair.$i")" "$(sed -n 2p "$tmp/pair.$i")"
			sed '1,2d' "$tmp/pair.$i" | diag
		else
			ok 1 "pair $i left no result (see $log)"
		fi
	done
}

# ------------------------------------------------------------ build
sanflags=
makeflags=
case $build in
*asan*)
	sanflags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
	makeflags=SAN=1
	;;
esac
# shellcheck disable=SC2086
make -s --no-print-directory $makeflags BUILD="$build" "$build/libmigrate.a" \
	>>"$log" 2>&1 &&
	# shellcheck disable=SC2086
	cc -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -g $sanflags \
		-I src -I pgc -I "$(pg_config --includedir)" -o "$driver" \
		tests/schema/schema_dump.c "$build/libmigrate.a" \
		-lecpg -lpgtypes -lpq -lyaml -lcrypto >>"$log" 2>&1
ok $? "the driver builds against $build/libmigrate.a"
[ -x "$driver" ] || bail "no driver; see $log"

start_server
ok $? "a throwaway server starts in $tmp"
[ "$server_up" = 1 ] || bail "no server; see $log"
sql postgres -c 'CREATE ROLE fp_reader; CREATE ROLE fp_owner' >>"$log" 2>&1

# ------------------------------------------------------------ differences
T='CREATE TABLE t (id integer PRIMARY KEY, a integer, b text);'

differ 'a column type' \
	'CREATE TABLE t (a integer);' \
	'CREATE TABLE t (a bigint);'
differ 'a column type modifier' \
	'CREATE TABLE t (a numeric(10,2));' \
	'CREATE TABLE t (a numeric(12,2));'
differ 'a default' \
	'CREATE TABLE t (a integer DEFAULT 1);' \
	'CREATE TABLE t (a integer DEFAULT 2);'
differ 'nullability' \
	'CREATE TABLE t (a integer NOT NULL);' \
	'CREATE TABLE t (a integer);'
differ 'a collation' \
	'CREATE TABLE t (a text COLLATE "C");' \
	'CREATE TABLE t (a text);'
differ 'an identity' \
	'CREATE TABLE t (a integer GENERATED ALWAYS AS IDENTITY);' \
	'CREATE TABLE t (a integer GENERATED BY DEFAULT AS IDENTITY);'
differ 'a generated column' \
	'CREATE TABLE t (a integer, b integer GENERATED ALWAYS AS (a * 2) STORED);' \
	'CREATE TABLE t (a integer, b integer GENERATED ALWAYS AS (a * 3) STORED);'
differ 'the column order' \
	'CREATE TABLE t (a integer, b integer);' \
	'CREATE TABLE t (b integer, a integer);'
differ 'a column name' \
	'CREATE TABLE t (a integer);' \
	'CREATE TABLE t (c integer);'
differ 'a check constraint' \
	"$T ALTER TABLE t ADD CONSTRAINT t_a CHECK (a > 0);" \
	"$T ALTER TABLE t ADD CONSTRAINT t_a CHECK (a >= 0);"
differ 'a constraint name' \
	"$T ALTER TABLE t ADD CONSTRAINT t_a CHECK (a > 0);" \
	"$T ALTER TABLE t ADD CONSTRAINT t_a_positive CHECK (a > 0);"
differ 'a foreign key action' \
	"$T CREATE TABLE u (t_id integer REFERENCES t ON DELETE CASCADE);" \
	"$T CREATE TABLE u (t_id integer REFERENCES t);"
differ 'a unique constraint' \
	"$T ALTER TABLE t ADD UNIQUE (b);" \
	"$T"
differ 'an index' \
	"$T CREATE INDEX t_a_idx ON t (a);" \
	"$T CREATE INDEX t_a_idx ON t (a DESC);"
differ 'an invalid index left by CREATE INDEX CONCURRENTLY' \
	"CREATE TABLE t (a integer); INSERT INTO t VALUES (1), (1);
	 \\set ON_ERROR_STOP 0
	 CREATE UNIQUE INDEX CONCURRENTLY t_a ON t (a);" \
	'CREATE TABLE t (a integer); INSERT INTO t VALUES (1), (1);' hidden
differ 'a partial index' \
	"$T CREATE INDEX t_a_idx ON t (a) WHERE a > 0;" \
	"$T CREATE INDEX t_a_idx ON t (a);"
differ 'a view definition' \
	"$T CREATE VIEW v AS SELECT id, a FROM t;" \
	"$T CREATE VIEW v AS SELECT id, a FROM t WHERE a > 0;"
differ 'a materialized view definition' \
	"$T CREATE MATERIALIZED VIEW m AS SELECT count(*) FROM t;" \
	"$T CREATE MATERIALIZED VIEW m AS SELECT max(a) FROM t;"
differ 'a function body' \
	"CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';" \
	"CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 2';"
differ 'a function attribute' \
	"CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';" \
	"CREATE FUNCTION f() RETURNS integer LANGUAGE sql STABLE AS 'SELECT 1';"
differ 'a procedure body' \
	"$T CREATE PROCEDURE p() LANGUAGE sql AS 'DELETE FROM t';" \
	"$T CREATE PROCEDURE p() LANGUAGE sql AS 'DELETE FROM t WHERE a > 0';"
differ 'an aggregate' \
	"CREATE AGGREGATE agg(integer) (sfunc = int4pl, stype = integer, initcond = '0');" \
	"CREATE AGGREGATE agg(integer) (sfunc = int4pl, stype = integer, initcond = '1');"
TF="$T CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"
differ 'a trigger' \
	"$TF CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();" \
	"$TF CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION tf();"
differ 'a disabled trigger' \
	"$TF CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();" \
	"$TF CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf(); ALTER TABLE t DISABLE TRIGGER tr;"
differ 'an enum label' \
	"CREATE TYPE e AS ENUM ('a', 'b');" \
	"CREATE TYPE e AS ENUM ('a', 'c');"
differ 'the enum label order' \
	"CREATE TYPE e AS ENUM ('a', 'b');" \
	"CREATE TYPE e AS ENUM ('b', 'a');"
differ 'a domain constraint' \
	'CREATE DOMAIN d AS integer CHECK (VALUE > 0);' \
	'CREATE DOMAIN d AS integer CHECK (VALUE > 1);'
differ 'a domain base type' \
	'CREATE DOMAIN d AS integer;' \
	'CREATE DOMAIN d AS bigint;'
differ 'a domain default' \
	'CREATE DOMAIN d AS integer DEFAULT 1;' \
	'CREATE DOMAIN d AS integer;'
differ 'a composite type attribute' \
	'CREATE TYPE c AS (x integer, y text);' \
	'CREATE TYPE c AS (x integer, y varchar);'
differ 'a range type' \
	'CREATE TYPE r AS RANGE (subtype = integer);' \
	'CREATE TYPE r AS RANGE (subtype = bigint);'
differ 'a sequence increment' \
	'CREATE SEQUENCE s INCREMENT 1;' \
	'CREATE SEQUENCE s INCREMENT 2;'
differ 'a sequence bound' \
	'CREATE SEQUENCE s MAXVALUE 1000;' \
	'CREATE SEQUENCE s;'
differ 'a sequence owner column' \
	"$T CREATE SEQUENCE s OWNED BY t.a;" \
	"$T CREATE SEQUENCE s OWNED BY t.id;"
differ 'an extension' \
	'CREATE EXTENSION citext;' \
	''
differ 'an extension version' \
	"CREATE EXTENSION citext VERSION '1.5';" \
	"CREATE EXTENSION citext VERSION '1.6';" hidden
differ 'a table grant' \
	"$T GRANT SELECT ON t TO fp_reader;" \
	"$T"
differ 'a grant option' \
	"$T GRANT SELECT ON t TO fp_reader WITH GRANT OPTION;" \
	"$T GRANT SELECT ON t TO fp_reader;"
differ 'a column grant' \
	"$T GRANT SELECT (a) ON t TO fp_reader;" \
	"$T GRANT SELECT (b) ON t TO fp_reader;"
differ 'a sequence grant' \
	"CREATE SEQUENCE s; GRANT USAGE ON SEQUENCE s TO fp_reader;" \
	'CREATE SEQUENCE s;'
differ 'a function grant' \
	"CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1'; REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC;" \
	"CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
differ 'a type grant' \
	"CREATE TYPE e AS ENUM ('a'); REVOKE USAGE ON TYPE e FROM PUBLIC;" \
	"CREATE TYPE e AS ENUM ('a');"
differ 'a schema grant' \
	'CREATE SCHEMA s; GRANT USAGE ON SCHEMA s TO fp_reader;' \
	'CREATE SCHEMA s;'
differ 'default privileges' \
	'ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO fp_reader;' \
	''
differ 'an owner' \
	"$T ALTER TABLE t OWNER TO fp_owner;" \
	"$T"
differ 'a policy' \
	"$T CREATE POLICY p ON t USING (a > 0);" \
	"$T CREATE POLICY p ON t USING (a > 1);"
differ 'a policy role' \
	"$T CREATE POLICY p ON t TO fp_reader USING (a > 0);" \
	"$T CREATE POLICY p ON t USING (a > 0);"
differ 'row level security' \
	"$T ALTER TABLE t ENABLE ROW LEVEL SECURITY;" \
	"$T"
differ 'forced row level security' \
	"$T ALTER TABLE t ENABLE ROW LEVEL SECURITY; ALTER TABLE t FORCE ROW LEVEL SECURITY;" \
	"$T ALTER TABLE t ENABLE ROW LEVEL SECURITY;"
P='CREATE TABLE p (a integer, b text) PARTITION BY RANGE (a);'
differ 'a partition bound' \
	"$P CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);" \
	"$P CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (20);"
differ 'a partition key' \
	'CREATE TABLE p (a integer, b text) PARTITION BY RANGE (a);' \
	'CREATE TABLE p (a integer, b text) PARTITION BY LIST (a);'
differ 'inheritance' \
	'CREATE TABLE a (x integer); CREATE TABLE b (x integer) INHERITS (a);' \
	'CREATE TABLE a (x integer); CREATE TABLE b (x integer);'
differ 'a schema' \
	'CREATE SCHEMA extra;' \
	''
differ 'the schema of a table' \
	'CREATE SCHEMA s; CREATE TABLE public.t (a integer);' \
	'CREATE SCHEMA s; CREATE TABLE s.t (a integer);'
differ 'an unlogged table' \
	'CREATE UNLOGGED TABLE t (a integer);' \
	'CREATE TABLE t (a integer);'
differ 'a storage parameter' \
	'CREATE TABLE t (a integer) WITH (fillfactor = 70);' \
	'CREATE TABLE t (a integer);'
differ 'a replica identity' \
	"$T ALTER TABLE t REPLICA IDENTITY FULL;" \
	"$T"
differ 'a rule' \
	"$T CREATE RULE r AS ON DELETE TO t DO INSTEAD NOTHING;" \
	"$T"
differ 'a comment' \
	"$T COMMENT ON COLUMN t.a IS 'the a';" \
	"$T"
differ 'an extended statistics object' \
	"$T CREATE STATISTICS st ON a, b FROM t;" \
	"$T"

# ------------------------------------------------------------ samenesses
same 'tables, indexes, views and functions created in different orders' \
	"CREATE TABLE t1 (id integer PRIMARY KEY, v text);
	 CREATE TABLE t2 (id integer PRIMARY KEY, t1_id integer REFERENCES t1);
	 CREATE INDEX t2_a ON t2 (t1_id); CREATE INDEX t2_b ON t2 (t1_id DESC);
	 CREATE VIEW v1 AS SELECT * FROM t1; CREATE VIEW v2 AS SELECT * FROM t2;
	 CREATE FUNCTION f1() RETURNS integer LANGUAGE sql AS 'SELECT 1';
	 CREATE FUNCTION f2() RETURNS integer LANGUAGE sql AS 'SELECT 2';
	 CREATE TYPE e AS ENUM ('x'); CREATE SCHEMA s1; CREATE SCHEMA s2;" \
	"CREATE SCHEMA s2; CREATE SCHEMA s1; CREATE TYPE e AS ENUM ('x');
	 CREATE FUNCTION f2() RETURNS integer LANGUAGE sql AS 'SELECT 2';
	 CREATE FUNCTION f1() RETURNS integer LANGUAGE sql AS 'SELECT 1';
	 CREATE TABLE t1 (id integer PRIMARY KEY, v text);
	 CREATE VIEW v1 AS SELECT * FROM t1;
	 CREATE TABLE t2 (id integer PRIMARY KEY, t1_id integer);
	 CREATE INDEX t2_b ON t2 (t1_id DESC); CREATE INDEX t2_a ON t2 (t1_id);
	 CREATE VIEW v2 AS SELECT * FROM t2;
	 ALTER TABLE t2 ADD FOREIGN KEY (t1_id) REFERENCES t1;"
same 'a table with a dropped column and one created without it' \
	'CREATE TABLE t (a integer, x integer, b text); ALTER TABLE t DROP COLUMN x;' \
	'CREATE TABLE t (a integer, b text);'
same 'an enum grown with ADD VALUE BEFORE and one created whole' \
	"CREATE TYPE e AS ENUM ('a', 'c'); ALTER TYPE e ADD VALUE 'b' BEFORE 'c';" \
	"CREATE TYPE e AS ENUM ('a', 'b', 'c');"
same 'constraints written inline and added later' \
	'CREATE TABLE t (id integer PRIMARY KEY, a integer CHECK (a > 0) NOT NULL);' \
	'CREATE TABLE t (id integer, a integer);
	 ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0);
	 ALTER TABLE t ALTER a SET NOT NULL; ALTER TABLE t ADD PRIMARY KEY (id);'
same 'a partition created with PARTITION OF and one attached' \
	"$P CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);" \
	"$P CREATE TABLE p1 (a integer, b text);
	 ALTER TABLE p ATTACH PARTITION p1 FOR VALUES FROM (0) TO (10);"
same 'a used sequence with data and statistics and a fresh one' \
	"$T CREATE SEQUENCE s; SELECT nextval('s'); SELECT nextval('s');
	 INSERT INTO t SELECT g, g, 'x' FROM generate_series(1, 1000) g; ANALYZE t;" \
	"$T CREATE SEQUENCE s;"
same 'a privilege granted then revoked and one never granted' \
	"$T GRANT SELECT ON t TO fp_reader; REVOKE SELECT ON t FROM fp_reader;
	 CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
	 REVOKE EXECUTE ON FUNCTION f() FROM PUBLIC; GRANT EXECUTE ON FUNCTION f() TO PUBLIC;" \
	"$T CREATE FUNCTION f() RETURNS integer LANGUAGE sql AS 'SELECT 1';"
same 'views written with different spacing and case' \
	"$T CREATE VIEW v AS SELECT id, a FROM t WHERE a > 0;" \
	"$T create   view v as
	   select ID , A
	   from T where (A>0);"
same 'a database with temporary schemas left by a session and one without' \
	"$T CREATE TEMP TABLE tmp (a integer);" \
	"$T"
same 'a table with an index that was rebuilt and one without history' \
	"$T CREATE INDEX t_a ON t (a); REINDEX TABLE t; CLUSTER t USING t_pkey; ALTER TABLE t SET WITHOUT CLUSTER; VACUUM FULL t;" \
	"$T CREATE INDEX t_a ON t (a);"

report_pairs

# the restore round trip: a database rebuilt from pg_dump --schema-only
rich=$(cat tests/schema/rich.sql)
if mkdb rich "$rich" && createdb -h "$sock" -p "$port" -U postgres restored \
	>>"$log" 2>&1 && pg_dump --schema-only -h "$sock" -p "$port" -U postgres rich |
	sql restored >>"$log" 2>&1; then
	dump rich
	dump restored
	cmp -s "$tmp/rich.dump" "$tmp/restored.dump"
	ok $? 'a database restored from pg_dump --schema-only dumps the same'
	hr=$(fp rich)
	hd=$(fp restored)
	[ -n "$hr" ] && [ "$hr" = "$hd" ]
	ok $? 'a database restored from pg_dump --schema-only has the same fingerprint'
	[ -n "$hr" ] && [ "$hr" != "$hd" ] &&
		diff "$tmp/rich.txt" "$tmp/restored.txt" | head -n 20 | diag
else
	ok 1 "the rich fixture loads and restores (see $log)"
fi

# every kind of object in the rich fixture shows in the text
kinds_missing=
for kind in extension schema default-privileges type enum-label attribute \
	domain-constraint collation function procedure aggregate table \
	partitioned-table view materialized-view sequence column constraint \
	index trigger policy rule inherits statistics event-trigger \
	foreign-table; do
	grep -q "^$kind " "$tmp/rich.txt" || kinds_missing="$kinds_missing $kind"
done
[ -z "$kinds_missing" ]
ok $? "the rich fixture's text has every kind of line${kinds_missing:+ (missing:$kinds_missing)}"

grep -q -e 'pg_attver' -e 'relfilenode' "$tmp/rich.txt"
[ $? = 1 ]
ok $? 'the text has no physical detail (pg_attver options, relfilenodes)'

# ------------------------------------------------------------ history table
H="CREATE TABLE public.schema_migrations (version bigint PRIMARY KEY,
	name text NOT NULL, checksum text NOT NULL, state text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	applied_by text NOT NULL DEFAULT current_user,
	duration_ms integer NOT NULL DEFAULT 0, schema_hash text, owner text);
	COMMENT ON TABLE public.schema_migrations IS 'migrate history';
	GRANT SELECT ON public.schema_migrations TO fp_reader;"
mkdb h0 "$T" && mkdb h1 "$T $H"
h0=$(fp h0)
h1=$(fp h1)
[ -n "$h0" ] && [ "$h0" = "$h1" ]
ok $? 'creating the history table public.schema_migrations leaves the fingerprint alone'
grep -q schema_migrations "$tmp/h1.txt"
[ $? = 1 ]
ok $? 'nothing of the history table (index, comment, grant) is in the text'

mkdb h2 "$T CREATE SCHEMA ops; ${H//public.schema_migrations/ops.history}
	CREATE SCHEMA ops2; CREATE TABLE ops2.history (a integer);"
mkdb h3 "$T CREATE SCHEMA ops; CREATE SCHEMA ops2; CREATE TABLE ops2.history (a integer);"
h2=$(fp h2 ops.history)
h3=$(fp h3 ops.history)
[ -n "$h2" ] && [ "$h2" = "$h3" ]
ok $? 'a history table named ops.history is left out, and only that one'
h2p=$(fp h2 public.schema_migrations)
[ -n "$h2p" ] && [ "$h2p" != "$h2" ]
ok $? 'ops.history is described when another history table is named'

# ------------------------------------------------------------ behaviour
"$driver" "$(conninfo rich)" >"$tmp/rich2.txt" 2>>"$log"
cmp -s "$tmp/rich.txt" "$tmp/rich2.txt"
ok $? 'describing the same database twice gives the same bytes'

# `migrate schema` prints the same text (when the binary is built)
bin=${MIGRATE_BIN:-$root/migrate}
if [ -x "$bin" ]; then
	(cd "$tmp" && env -u DATABASE_URL -u MIGRATE_CONFIG -u MIGRATE_ENV \
		"$bin" -d "postgresql:///rich?host=$sock&port=$port&user=postgres" \
		schema) >"$tmp/rich.cli" 2>>"$log" &&
		sed '$d' "$tmp/rich.txt" | cmp -s - "$tmp/rich.cli"
	ok $? "migrate schema prints the text that schema_describe returns"
else
	echo "ok $((count += 1)) # skip $bin is not built"
fi

"$driver" -x "$(conninfo rich)" >"$tmp/rich3.txt" 2>>"$log" &&
	cmp -s "$tmp/rich.txt" "$tmp/rich3.txt"
ok $? "it works inside the caller's transaction and leaves it open"

sql postgres -c 'SELECT 1' >/dev/null 2>&1
before=$(grep -c '^t500-one ' "$tmp/server.log")
"$driver" "$(conninfo rich t500-one)" >/dev/null 2>>"$log"
sleep 0.2
stmts=$(grep '^t500-one ' "$tmp/server.log" | grep -c -e 'LOG:  statement:' -e 'LOG:  execute')
[ "$before" = 0 ] && [ "$stmts" = 1 ] &&
	grep '^t500-one ' "$tmp/server.log" |
	grep -q "LOG:  statement: SELECT pg_catalog.set_config('search_path', 'pg_catalog, public, pg_temp', true)"
ok $? "it sends one simple query, which pins the settings first (server log shows $stmts)"

"$driver" -a "$(conninfo rich)" >"$tmp/err.out" 2>"$tmp/err.txt"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err.txt")" = 1 ] && [ ! -s "$tmp/err.out" ] &&
	grep -q '^schema_dump: could not describe the schema: current transaction is aborted, .* (SQLSTATE 25P02)$' "$tmp/err.txt"
ok $? 'a failed query returns -1 with a one-line reason'
diag <"$tmp/err.txt"

"$driver" -k "$(conninfo rich)" >"$tmp/err.out" 2>"$tmp/err.txt"
rc=$?
[ "$rc" = 1 ] && [ "$(wc -l <"$tmp/err.txt")" = 1 ] && [ ! -s "$tmp/err.out" ] &&
	grep -q '^schema_dump: could not describe the schema: [a-z]' "$tmp/err.txt"
ok $? 'a lost connection returns -1 with a one-line reason'
diag <"$tmp/err.txt"

# a temporary table of a live session is left out
mkdb live "$T"
hl=$(fp live)
psql -X -q -h "$sock" -p "$port" -U postgres -d live \
	-c 'CREATE TEMP TABLE tmp (a integer)' -c 'SELECT pg_sleep(30)' \
	>>"$log" 2>&1 &
bg=$!
for _ in $(seq 50); do
	n=$(sql live -Atc "SELECT count(*) FROM pg_class WHERE relname = 'tmp'" 2>>"$log")
	[ "$n" = 1 ] && break
	sleep 0.1
done
hl2=$(fp live)
kill "$bg" 2>/dev/null
wait "$bg" 2>/dev/null
[ "$n" = 1 ] && [ -n "$hl" ] && [ "$hl" = "$hl2" ]
ok $? "another session's temporary table is left out"

# ------------------------------------------------------------ timing
if mkdb big "$(tests/schema/gen-500.sh "$tables")"; then
	"$driver" -t -n 5 "$(conninfo big)" >"$tmp/big.txt" 2>"$tmp/big.time"
	diag <"$tmp/big.time"
	# the fastest of five, so that a busy machine does not fail the test;
	# all five are printed above
	best=$(sed -n 's/^schema_describe: \([0-9.]*\) ms.*/\1/p' "$tmp/big.time" |
		sort -n | head -n 1)
	nlines=$(grep -c -e '^table ' "$tmp/big.txt")
	[ "$nlines" = "$tables" ] && [ -n "$best" ] &&
		awk -v m="$best" 'BEGIN { exit !(m < 1000) }'
	ok $? "describing $tables tables with keys, indexes, checks and views takes under 1 s (fastest of 5: ${best:-?} ms)"
else
	ok 1 "the $tables-table database loads (see $log)"
fi

echo "1..$count"
[ "$failed" = 0 ]
