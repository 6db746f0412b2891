# pgbouncer.sh: start and stop a throwaway PgBouncer on loopback for tests.
#
# Source it from bash after tap.sh (or pg.sh); it sets no shell options and
# exports nothing.
#
#   pgb_available              exit 0 when a pgbouncer binary is installed
#   pgb_start DIR PGDIR [name=value...]
#                              start PgBouncer in DIR in front of the server
#                              of PGDIR (pg.sh's directory, reached over its
#                              unix socket), listening on 127.0.0.1 only;
#                              pool_mode=transaction, auth_type=trust with a
#                              userlist naming postgres; each name=value
#                              goes into [pgbouncer] after the defaults
#                              (later wins).  Registers pgb_stop with
#                              tap.sh's at_exit when it is there.
#   pgb_stop DIR               stop it; does nothing if not running
#   pgb_port DIR               print its port
#   pgb_url DIR DB             postgresql://postgres@127.0.0.1:PORT/DB
#
# Environment: PGBOUNCER (the binary, default: pgbouncer in PATH or
# /usr/sbin/pgbouncer).  Run as root, PgBouncer runs as the postgres OS
# user, like the servers of pg.sh.  Its log is DIR/pgbouncer.log.

_pgb_bin()
{
	local b=${PGBOUNCER:-}
	if [ -n "$b" ]; then
		printf '%s\n' "$b"
		return 0
	fi
	b=$(command -v pgbouncer 2>/dev/null) || b=/usr/sbin/pgbouncer
	[ -x "$b" ] || return 1
	printf '%s\n' "$b"
}

pgb_available()
{
	_pgb_bin >/dev/null 2>&1
}

_pgb_as()
{
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Exit 0 when something accepts TCP connections on 127.0.0.1:PORT.
_pgb_listening()
{
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_pgb_pick_port()
{
	local port i
	port=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
	for ((i = 0; i < 200; i++)); do
		if ! _pgb_listening "$port"; then
			printf '%s\n' "$port"
			return 0
		fi
		port=$((port + 1))
	done
	echo "pgbouncer.sh: no free port found near $port" >&2
	return 1
}

_pgb_write_ini()
{
	local dir=$1 pgdir=$2 port=$3 pgport opt
	shift 3
	pgport=$(cat "$pgdir/port") || return 1
	{
		echo "; written by tests/lib/pgbouncer.sh pgb_start"
		echo "[databases]"
		echo "* = host=$pgdir port=$pgport"
		echo "[pgbouncer]"
		echo "listen_addr = 127.0.0.1"
		echo "listen_port = $port"
		echo "unix_socket_dir ="
		echo "auth_type = trust"
		echo "auth_file = $dir/userlist.txt"
		echo "pool_mode = transaction"
		echo "max_client_conn = 200"
		echo "default_pool_size = 10"
		echo "admin_users = postgres"
		echo "ignore_startup_parameters = extra_float_digits"
		echo "logfile = $dir/pgbouncer.log"
		echo "pidfile = $dir/pgbouncer.pid"
		for opt in "$@"; do
			case $opt in
			*=*) echo "${opt%%=*} = ${opt#*=}" ;;
			*)
				echo "pgbouncer.sh: bad setting \"$opt\" (want name=value)" >&2
				return 1
				;;
			esac
		done
	} >"$dir/pgbouncer.ini" || return 1
	echo '"postgres" ""' >"$dir/userlist.txt"
}

pgb_start()
{
	local dir=${1:?usage: pgb_start DIR PGDIR [name=value...]} pgdir=${2:?usage: pgb_start DIR PGDIR} bin port i
	shift 2
	dir=${dir%/}
	bin=$(_pgb_bin) || {
		echo "pgbouncer.sh: pgbouncer is not installed (Debian package pgbouncer)" >&2
		return 1
	}
	mkdir -p "$dir" || return 1
	port=$(_pgb_pick_port) || return 1
	_pgb_write_ini "$dir" "${pgdir%/}" "$port" "$@" || return 1
	echo "$port" >"$dir/port"
	[ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
	if ! _pgb_as "$bin" -q -d "$dir/pgbouncer.ini" >"$dir/start.log" 2>&1; then
		echo "pgbouncer.sh: pgbouncer did not start in $dir:" >&2
		cat "$dir/start.log" "$dir/pgbouncer.log" >&2 2>/dev/null
		return 1
	fi
	declare -F at_exit >/dev/null && at_exit "pgb_stop '$dir'"
	for ((i = 0; i < 100; i++)); do
		_pgb_listening "$port" && return 0
		sleep 0.1
	done
	echo "pgbouncer.sh: pgbouncer in $dir does not listen on 127.0.0.1:$port:" >&2
	tail -n 20 "$dir/pgbouncer.log" >&2 2>/dev/null
	return 1
}

pgb_stop()
{
	local dir=${1:?usage: pgb_stop DIR} pid i
	dir=${dir%/}
	pid=$(cat "$dir/pgbouncer.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	echo "pgbouncer.sh: pgbouncer $pid in $dir did not stop" >&2
	return 1
}

pgb_port()
{
	cat "${1%/}/port" 2>/dev/null || {
		echo "pgbouncer.sh: no port recorded in $1" >&2
		return 1
	}
}

pgb_url()
{
	printf 'postgresql://postgres@127.0.0.1:%s/%s\n' "$(pgb_port "${1:?usage: pgb_url DIR DB}")" "${2:?usage: pgb_url DIR DB}"
}
