# tap.sh: Test Anything Protocol helpers for the bash tests tests/tNNN-*.t.
#
#   #!/usr/bin/env bash
#   . "$(dirname "$0")/lib/tap.sh"
#   db=$(fresh_db) || BAIL_OUT "cannot create a database"
#   command_checks_all 0 '^up +0001' '^$' "up applies the first unit" \
#       -- "$MIGRATE_BIN" -d "$(db_url "$db")" up
#   done_testing
#
# Sourcing it:
#   * makes a per-test temporary directory and cd's into it (so that no
#     migrate.yaml or .env of the repository is read by accident); the
#     repository is $MIGRATE_ROOT.  The directory is removed when every
#     test passed and kept, with its path printed, otherwise;
#   * uses the suite's server (tests/lib/run-suite exports PGHOST, PGPORT,
#     PGUSER, MIGRATE_TEST_PGDIR) or the server of PGHOST/PGPORT; when
#     neither is set (a test run on its own) it starts a private one in the
#     temporary directory;
#   * installs an EXIT trap: use at_exit instead of trap ... EXIT.  Servers
#     started with pg_start under test_tmpdir are stopped at exit.
#
# Do not use set -e in tests: a failed assertion returns 1 and the test
# goes on.  Assertions must run in the test's own shell, not in $(...) or
# a pipeline, or they are not counted.
#
# Assertions (each prints one "ok"/"not ok" line; on failure the file and
# line, and got/expected as "#" comments on stderr; returns 0 or 1):
#   ok NAME CMD [ARG...]        passes when CMD exits 0 (its output is shown
#                               on failure); e.g. ok "x is set" test -n "$x"
#   fails NAME CMD [ARG...]     passes when CMD exits non-zero
#   pass NAME / fail NAME [WHY]
#   is GOT EXPECTED NAME        string equality
#   isnt GOT UNEXPECTED NAME
#   like GOT REGEX NAME         bash =~ (POSIX ERE); '' matches anything
#   unlike GOT REGEX NAME
#   command_checks_all RC OUT_REGEX ERR_REGEX NAME [--] CMD [ARG...]
#                               three assertions: exit code, stdout, stderr;
#                               leaves OUT, ERR, RC set ('^$' = must be empty)
#   skip WHY [COUNT]            COUNT (default 1) skipped tests
# Plan and control:
#   plan N / done_testing / skip_all WHY / BAIL_OUT WHY
#   diag MSG... (stderr) / note MSG... (stdout) / at_exit 'SHELL CODE'
# Running things (never abort the script):
#   run_migrate [ARG...]        "$MIGRATE_BIN" ARG...: stdout in $OUT, stderr
#                               in $ERR (trailing newlines removed), exit code
#                               in $RC; stdin is /dev/null; killed after
#                               $MIGRATE_TEST_TIMEOUT seconds (default 300)
#   run_cmd CMD [ARG...]        the same for any command
#   run_migrate_bg TAG [ARG...] start "$MIGRATE_BIN" ARG... in the background
#   run_bg TAG CMD [ARG...]     the same for any command
#   wait_bg TAG                 wait for it; sets OUT, ERR, RC
# Databases and files:
#   fresh_db [PREFIX]           create a new, uniquely named database on the
#                               server of PGHOST/PGPORT; print its name
#   db_url NAME                 postgresql:///NAME?host=$PGHOST&port=$PGPORT&user=postgres
#   psql_val DB SQL             psql -XAtq -v ON_ERROR_STOP=1; DB: name or URL
#   wait_query DB PATTERN       wait (up to 5 s) until another session on DB runs
#                               a query LIKE PATTERN; exit 1 if none did
#   json_field JSON FIELD       jq -r .FIELD (FIELD may be a jq path: units[0].state)
#   json_event JSON EVENT       the lines of JSON whose "event" is EVENT
#   test_tmpdir                 print the per-test temporary directory
#   build_units DIR [MAKE-ARG...]  build $PWD/DIR's units into $PWD/out-DIR/migrate
#   set_bin SET                 print $MIGRATE_BUILD/t/SET/migrate, the binary
#                               built from tests/units/SET/
#
# Environment: MIGRATE_BIN (default $MIGRATE_ROOT/migrate), MIGRATE_BUILD
# (default $MIGRATE_ROOT/build), MIGRATE_TEST_TMP (where per-test
# directories go, default /tmp), MIGRATE_TEST_TIMEOUT.

_TAP_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$_TAP_LIB/pg.sh"

MIGRATE_ROOT=$(cd "$_TAP_LIB/../.." && pwd)
export MIGRATE_ROOT

_TAP_N=0
_TAP_FAILED=0
_TAP_PLAN=
_TAP_DONE=0
_TAP_SKIP_ALL=0
_TAP_BAILED=0
_TAP_PID=$BASHPID
_TAP_AT_EXIT=()
declare -A _TAP_BG=()
_TAP_NAME=$(basename "$0" .t)

# ------------------------------------------------------------------ output

# Print each argument, line by line, as a TAP comment on stderr.
diag()
{
	_tap_comment "$@" >&2
}

# Print each argument, line by line, as a TAP comment on stdout.
note()
{
	_tap_comment "$@"
}

_tap_comment()
{
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do
			printf '# %s\n' "$line"
		done <<<"$arg"
	done
}

# The "file line N" of the test code that called into tap.sh.
_tap_where()
{
	local i
	for ((i = 0; i < ${#BASH_SOURCE[@]} - 1; i++)); do
		if [ "${BASH_SOURCE[i + 1]}" != "${BASH_SOURCE[0]}" ]; then
			printf '%s line %s' "${BASH_SOURCE[i + 1]}" "${BASH_LINENO[i]}"
			return
		fi
	done
	printf '%s' "$0"
}

# _tap_result STATUS NAME: print the ok / not ok line; return STATUS != 0.
_tap_result()
{
	local status=$1 name=${2:-}
	_TAP_N=$((_TAP_N + 1))
	name=${name//$'\n'/ }
	name=${name//\#/\\#}
	if [ "$status" = 0 ]; then
		printf 'ok %d - %s\n' "$_TAP_N" "$name"
		return 0
	fi
	_TAP_FAILED=$((_TAP_FAILED + 1))
	printf 'not ok %d - %s\n' "$_TAP_N" "$name"
	diag "  Failed test '$name'" "  at $(_tap_where)."
	return 1
}

# _tap_got GOT LABEL VALUE: show got and expected the way Test::More does.
_tap_got()
{
	local label
	printf -v label '%16s' "$2"
	diag "$(printf '%16s' got): '$1'" "$label: '$3'"
}

# ------------------------------------------------------------------ plan

plan()
{
	_TAP_PLAN=${1:?usage: plan N}
	printf '1..%d\n' "$_TAP_PLAN"
}

done_testing()
{
	if [ -z "$_TAP_PLAN" ]; then
		_TAP_PLAN=$_TAP_N
		printf '1..%d\n' "$_TAP_N"
	fi
	_TAP_DONE=1
}

skip_all()
{
	_TAP_SKIP_ALL=1
	printf '1..0 # SKIP %s\n' "${1:-}"
	exit 0
}

BAIL_OUT()
{
	_TAP_BAILED=1
	printf 'Bail out!  %s\n' "${1:-}"
	exit 255
}

# Run shell code at exit (last registered first), before the temporary
# directory is removed.
at_exit()
{
	_TAP_AT_EXIT+=("$1")
}

# ------------------------------------------------------------ assertions

pass()
{
	_tap_result 0 "${1:-}"
}

fail()
{
	_tap_result 1 "${1:-}"
	[ $# -gt 1 ] && diag "${@:2}"
	return 1
}

skip()
{
	local why=${1:-} n=${2:-1} i
	for ((i = 0; i < n; i++)); do
		_TAP_N=$((_TAP_N + 1))
		printf 'ok %d # skip %s\n' "$_TAP_N" "$why"
	done
}

# Run "$@" in this shell, its output into a file; print it on failure.
_tap_cmd()
{
	local want=$1 name=$2 rc
	shift 2
	if [ $# -eq 0 ]; then
		_tap_result 1 "$name"
		diag "    no command given (usage: ok NAME CMD [ARG...])"
		return 1
	fi
	"$@" >"$_TAP_WORK/cmd.out" 2>&1 </dev/null
	rc=$?
	if { [ "$want" = 0 ] && [ $rc -eq 0 ]; } || { [ "$want" = 1 ] && [ $rc -ne 0 ]; }; then
		_tap_result 0 "$name"
		return 0
	fi
	_tap_result 1 "$name"
	diag "    command: $(_tap_quote "$@")" "    exit code: $rc" \
		"    output: '$(<"$_TAP_WORK/cmd.out")'"
	return 1
}

ok()
{
	_tap_cmd 0 "$@"
}

fails()
{
	_tap_cmd 1 "$@"
}

is()
{
	if [ "$1" == "$2" ]; then
		_tap_result 0 "${3:-}"
		return 0
	fi
	_tap_result 1 "${3:-}"
	_tap_got "$1" "expected" "$2"
	return 1
}

isnt()
{
	if [ "$1" != "$2" ]; then
		_tap_result 0 "${3:-}"
		return 0
	fi
	_tap_result 1 "${3:-}"
	_tap_got "$1" "expected not" "$2"
	return 1
}

like()
{
	local re=$2
	if [[ $1 =~ $re ]]; then
		_tap_result 0 "${3:-}"
		return 0
	fi
	_tap_result 1 "${3:-}"
	_tap_got "$1" "doesn't match" "$2"
	return 1
}

unlike()
{
	local re=$2
	if ! [[ $1 =~ $re ]]; then
		_tap_result 0 "${3:-}"
		return 0
	fi
	_tap_result 1 "${3:-}"
	_tap_got "$1" "matches" "$2"
	return 1
}

# command_checks_all RC OUT_REGEX ERR_REGEX NAME [--] CMD [ARG...]
command_checks_all()
{
	local rc=$1 outre=$2 errre=$3 name=$4 bad=0
	shift 4
	[ "${1:-}" = -- ] && shift
	run_cmd "$@"
	is "$RC" "$rc" "$name: exit code" || bad=1
	like "$OUT" "$outre" "$name: stdout" || bad=1
	like "$ERR" "$errre" "$name: stderr" || bad=1
	if [ $bad = 1 ]; then
		diag "    command: $(_tap_quote "$@")"
		[ "$RC" = "$rc" ] || diag "    stdout: '$OUT'" "    stderr: '$ERR'"
	fi
	return $bad
}

# ---------------------------------------------------------- running things

_tap_quote()
{
	local out
	printf -v out '%q ' "$@"
	printf '%s' "${out% }"
}

# Executables get a time limit; shell functions cannot.
_tap_exec()
{
	if declare -F "$1" >/dev/null; then
		"$@"
	else
		timeout --foreground -k 10 "${MIGRATE_TEST_TIMEOUT:-300}" "$@"
	fi
}

run_cmd()
{
	if [ $# -eq 0 ]; then
		echo "tap.sh: run_cmd: no command given" >&2
		RC=255 OUT='' ERR=''
		return 0
	fi
	_tap_exec "$@" >"$_TAP_WORK/run.out" 2>"$_TAP_WORK/run.err" </dev/null
	RC=$?
	OUT=$(<"$_TAP_WORK/run.out")
	ERR=$(<"$_TAP_WORK/run.err")
	if [ "$RC" = 124 ] && ! declare -F "$1" >/dev/null; then
		diag "timed out after ${MIGRATE_TEST_TIMEOUT:-300} s: $(_tap_quote "$@")"
	fi
	return 0
}

run_migrate()
{
	run_cmd "$MIGRATE_BIN" "$@"
}

# run_bg TAG CMD [ARG...]: start CMD in the background; wait_bg TAG later.
run_bg()
{
	local tag=${1:?usage: run_bg TAG CMD [ARG...]}
	shift
	case $tag in
	*[!A-Za-z0-9_.-]*)
		echo "tap.sh: run_bg: bad tag \"$tag\"" >&2
		return 1
		;;
	esac
	(
		_tap_exec "$@" >"$_TAP_WORK/bg.$tag.out" 2>"$_TAP_WORK/bg.$tag.err" </dev/null
		echo $? >"$_TAP_WORK/bg.$tag.rc"
	) &
	_TAP_BG[$tag]=$!
	return 0
}

run_migrate_bg()
{
	local tag=${1:?usage: run_migrate_bg TAG [ARG...]}
	shift
	run_bg "$tag" "$MIGRATE_BIN" "$@"
}

wait_bg()
{
	local tag=${1:?usage: wait_bg TAG}
	if [ -z "${_TAP_BG[$tag]:-}" ]; then
		echo "tap.sh: wait_bg: no background command \"$tag\"" >&2
		RC=255 OUT='' ERR=''
		return 1
	fi
	wait "${_TAP_BG[$tag]}"
	unset '_TAP_BG[$tag]'
	RC=$(<"$_TAP_WORK/bg.$tag.rc")
	OUT=$(<"$_TAP_WORK/bg.$tag.out")
	ERR=$(<"$_TAP_WORK/bg.$tag.err")
	return 0
}

# ------------------------------------------------------- databases, files

fresh_db()
{
	local prefix=${1:-$_TAP_NAME} name i err
	prefix=${prefix,,}
	prefix=${prefix//[^a-z0-9_]/_}
	for i in 1 2 3 4 5; do
		name="${prefix:0:40}_${BASHPID}_$RANDOM"
		if err=$(psql -XAtq -v ON_ERROR_STOP=1 -d postgres \
			-c "CREATE DATABASE \"$name\" TEMPLATE template0" 2>&1 </dev/null); then
			printf '%s\n' "$name"
			return 0
		fi
		case $err in
		*"already exists"*) continue ;;
		esac
		break
	done
	echo "tap.sh: fresh_db: could not create database \"$name\" on ${PGHOST:-?}:${PGPORT:-?}: $err" >&2
	return 1
}

db_url()
{
	printf 'postgresql:///%s?host=%s&port=%s&user=postgres\n' \
		"${1:?usage: db_url NAME}" "${PGHOST:?PGHOST is not set}" "${PGPORT:-5432}"
}

psql_val()
{
	psql -XAtq -v ON_ERROR_STOP=1 -d "${1:?usage: psql_val DB SQL}" \
		-c "${2:?usage: psql_val DB SQL}" </dev/null
}

wait_query()
{
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(psql_val "$1" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '$2'
			AND pid <> pg_backend_pid() AND datname = current_database()")" -gt 0 ] && return 0
		sleep 0.05
	done
	return 1
}

_tap_need_jq()
{
	command -v jq >/dev/null 2>&1 && return 0
	echo "tap.sh: jq is not installed (tools/install-deps installs it)" >&2
	return 127
}

json_field()
{
	local f=${2:?usage: json_field JSON FIELD}
	_tap_need_jq || return
	[[ $f == .* ]] || f=.$f
	printf '%s\n' "$1" | jq -r "$f"
}

json_event()
{
	_tap_need_jq || return
	printf '%s\n' "$1" | jq -c --arg e "${2:?usage: json_event JSON EVENT}" \
		'select(type == "object" and .event == $e)'
}

test_tmpdir()
{
	printf '%s\n' "$TEST_TMPDIR"
}

# build_units DIR [MAKE-ARG...]: builds a runner from the units in $PWD/DIR
# into $PWD/out-DIR/migrate with the suite's build (plain or sanitizers),
# as make check builds the test sets; OUT, ERR and RC as run_cmd sets them.
build_units()
{
	local dir=$1 san=0
	shift
	case $MIGRATE_BUILD in *asan*) san=1 ;; esac
	run_cmd make -C "$MIGRATE_ROOT" "$@" SAN=$san BUILD="$MIGRATE_BUILD" MIGRATIONS_DIR="$PWD/$dir" \
		UNITS_OUT="$PWD/out-$dir" BIN="$PWD/out-$dir/migrate" "$PWD/out-$dir/migrate"
}

set_bin()
{
	local bin="$MIGRATE_BUILD/t/${1:?usage: set_bin SET}/migrate"
	[ -x "$bin" ] || echo "tap.sh: set_bin: $bin is not built (make build-tests)" >&2
	printf '%s\n' "$bin"
}

# ------------------------------------------------------------ exit handling

# Stop every server that pg_start left under the temporary directory.
_tap_stop_servers()
{
	local pid
	while IFS= read -r pid; do
		pg_stop "$(dirname "$(dirname "$pid")")" || true
	done < <(find "$TEST_TMPDIR" -maxdepth 4 -name postmaster.pid -path '*/data/*' 2>/dev/null)
}

_tap_on_exit()
{
	local rc=$? i
	[ "$BASHPID" = "$_TAP_PID" ] || return "$rc"
	set +e
	for ((i = ${#_TAP_AT_EXIT[@]} - 1; i >= 0; i--)); do
		eval "${_TAP_AT_EXIT[i]}"
	done
	for i in "${_TAP_BG[@]}"; do
		kill "$i" 2>/dev/null
	done
	_tap_stop_servers
	if [ $_TAP_SKIP_ALL = 1 ] && [ $rc = 0 ]; then
		:
	elif [ $_TAP_BAILED = 1 ]; then
		rc=255
	elif [ -z "$_TAP_PLAN" ] && [ $_TAP_N -gt 0 ]; then
		diag "Tests were run but no plan was declared and done_testing was not seen."
		[ $rc = 0 ] && rc=254
	elif [ -n "$_TAP_PLAN" ] && [ "$_TAP_N" != "$_TAP_PLAN" ]; then
		diag "Looks like you planned $_TAP_PLAN tests but ran $_TAP_N."
		[ $rc = 0 ] && rc=255
	fi
	if [ $_TAP_FAILED -gt 0 ]; then
		diag "Looks like you failed $_TAP_FAILED test(s) of $_TAP_N."
		if [ $rc = 0 ]; then
			rc=$((_TAP_FAILED > 254 ? 254 : _TAP_FAILED))
		fi
	elif [ $rc != 0 ] && [ $_TAP_BAILED = 0 ] && [ $_TAP_N -gt 0 ] && [ $_TAP_DONE = 0 ]; then
		diag "Looks like your test exited with $rc just after $_TAP_N."
	fi
	cd / || true
	if [ $rc = 0 ]; then
		rm -rf "$TEST_TMPDIR"
	else
		diag "kept $TEST_TMPDIR"
	fi
	exit $rc
}

# ------------------------------------------------------------------ set-up

# Relative paths in the environment are relative to where the test started.
case ${MIGRATE_BIN:=$MIGRATE_ROOT/migrate} in
/*) ;;
*) MIGRATE_BIN=$PWD/$MIGRATE_BIN ;;
esac
case ${MIGRATE_BUILD:=$MIGRATE_ROOT/build} in
/*) ;;
*) MIGRATE_BUILD=$PWD/$MIGRATE_BUILD ;;
esac
export MIGRATE_BIN MIGRATE_BUILD

# Nothing of the caller's environment may choose a database or a config.
unset DATABASE_URL NEON_DATABASE_URL MIGRATE_CONFIG MIGRATE_ENV \
	PGPASSWORD PGPASSFILE PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE \
	PGTARGETSESSIONATTRS PGCONNECT_TIMEOUT
if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
	export LC_ALL=C.UTF-8
else
	export LC_ALL=C
fi

mkdir -p "${MIGRATE_TEST_TMP:-/tmp}" &&
	TEST_TMPDIR=$(mktemp -d "${MIGRATE_TEST_TMP:-/tmp}/${_TAP_NAME:0:24}.XXXXXX") || {
	echo "Bail out!  cannot create a temporary directory under ${MIGRATE_TEST_TMP:-/tmp}"
	exit 255
}
# A server started as the postgres OS user must reach directories in it.
[ "$(id -u)" = 0 ] && chmod 755 "$TEST_TMPDIR"
export TEST_TMPDIR
_TAP_WORK=$TEST_TMPDIR/.tap
mkdir -p "$_TAP_WORK"
trap _tap_on_exit EXIT
cd "$TEST_TMPDIR" || BAIL_OUT "cannot cd to $TEST_TMPDIR"

# Run on its own (not from run-suite, no PGHOST): start a private server.
if [ -z "${MIGRATE_TEST_PGDIR:-}" ] && [ -z "${PGHOST:-}" ]; then
	pg_start "$TEST_TMPDIR/pg" || BAIL_OUT "cannot start a PostgreSQL server in $TEST_TMPDIR/pg"
	eval "$(pg_env "$TEST_TMPDIR/pg")"
	MIGRATE_TEST_PGDIR=$TEST_TMPDIR/pg
	export MIGRATE_TEST_PGDIR
fi
export PGUSER=${PGUSER:-postgres} PGDATABASE=${PGDATABASE:-postgres}
