# pg.sh: start and stop throwaway PostgreSQL servers for tests and the demo.
#
# Source it from bash; it sets no shell options and exports nothing.
#
#   pg_start DIR [OPTION...]   initdb into DIR/data (unless already there) and
#                              start a server whose unix socket is in DIR;
#                              each OPTION is "name=value" or "-c name=value"
#   pg_stop DIR                fast shutdown; does nothing if not running
#   pg_restart DIR             fast restart with the same settings
#   pg_running DIR             exit 0 when the server of DIR is running
#   pg_port DIR                print the port (from DIR/port)
#   pg_env DIR                 print "export PGHOST=... PGPORT=... PGUSER=..."
#                              lines, for eval "$(pg_env DIR)"
#
# Environment read by pg_start:
#   PG_DURABLE=1   keep fsync, synchronous_commit and full_page_writes on
#                  (default: off, tests do not need durability)
#   PG_PORT=N      use port N instead of a free one picked at random
#   PG_LISTEN=ADDR listen_addresses (default 127.0.0.1; '' = socket only)
#   PG_BINDIR      where initdb, pg_ctl and postgres live
#
# When run as root the server runs as the "postgres" OS user (initdb refuses
# root): DIR is chowned to it and must be reachable by it.  Unix socket
# paths are limited to about 107 bytes, so keep DIR short (mktemp -d
# /tmp/mig.XXXXXX).  The server log is DIR/server.log.

# Where the server binaries are: PG_BINDIR, else the newest Debian
# /usr/lib/postgresql/N/bin, else pg_config's, else whatever is in PATH.
_pg_bindir()
{
	local d
	if [ -n "${PG_BINDIR:-}" ]; then
		printf '%s\n' "$PG_BINDIR"
		return 0
	fi
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -rn); do
		if [ -x "$d/initdb" ]; then
			printf '%s\n' "$d"
			return 0
		fi
	done
	if command -v pg_config >/dev/null 2>&1 &&
		d=$(pg_config --bindir 2>/dev/null) && [ -x "$d/initdb" ]; then
		printf '%s\n' "$d"
		return 0
	fi
	d=$(command -v initdb 2>/dev/null) || {
		echo "pg.sh: cannot find initdb (install postgresql, or set PG_BINDIR)" >&2
		return 1
	}
	dirname "$d"
}

# Run a server program as the user that owns the cluster.
_pg_as()
{
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Exit 0 when nothing accepts TCP connections on 127.0.0.1:PORT and no
# socket file for PORT is in DIR.
_pg_port_free()
{
	local dir=$1 port=$2
	[ -e "$dir/.s.PGSQL.$port" ] && return 1
	[ -e "$dir/.s.PGSQL.$port.lock" ] && return 1
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		return 1
	fi
	return 0
}

# Print a port to try: PG_PORT, else a free one from a random base.
_pg_pick_port()
{
	local dir=$1 port i
	if [ -n "${PG_PORT:-}" ]; then
		printf '%s\n' "$PG_PORT"
		return 0
	fi
	port=$((20000 + (RANDOM * 32768 + RANDOM) % 30000))
	for ((i = 0; i < 200; i++)); do
		if _pg_port_free "$dir" "$port"; then
			printf '%s\n' "$port"
			return 0
		fi
		port=$((port + 1))
	done
	echo "pg.sh: no free port found near $port" >&2
	return 1
}

# Quote a value for postgresql.conf.
_pg_conf_quote()
{
	printf "'%s'" "${1//\'/\'\'}"
}

# Write DIR/data/pg_start.conf (included by postgresql.conf) from the
# defaults, the port and the extra options.
_pg_write_conf()
{
	local dir=$1 port=$2 conf opt name value
	shift 2
	conf=$dir/pg_start.conf.tmp
	{
		echo "# written by tests/lib/pg.sh pg_start; rewritten at every start"
		echo "port = $port"
		echo "listen_addresses = $(_pg_conf_quote "${PG_LISTEN-127.0.0.1}")"
		echo "unix_socket_directories = $(_pg_conf_quote "$dir")"
		echo "unix_socket_permissions = 0777"
		if [ "${PG_DURABLE:-0}" != 1 ]; then
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
		fi
		echo "log_line_prefix = '%m [%p] %q%a %u@%d '"
		echo "log_min_messages = warning"
		echo "max_connections = 200"
		echo "max_wal_senders = 10"
		echo "wal_level = replica"
		while [ $# -gt 0 ]; do
			opt=$1
			shift
			if [ "$opt" = -c ]; then
				opt=${1:-}
				shift || true
			fi
			opt=${opt#--}
			case $opt in
			*=*) ;;
			*)
				echo "pg.sh: bad server option \"$opt\" (want name=value)" >&2
				return 1
				;;
			esac
			name=${opt%%=*}
			value=${opt#*=}
			echo "$name = $(_pg_conf_quote "$value")"
		done
	} >"$conf" || return 1
	[ "$(id -u)" = 0 ] && chown postgres: "$conf"
	mv -f "$conf" "$dir/data/pg_start.conf"
}

# initdb into DIR/data unless a cluster is already there.
_pg_initdb()
{
	local dir=$1 bindir=$2 locale=C
	[ -f "$dir/data/PG_VERSION" ] && return 0
	if locale -a 2>/dev/null | grep -qix 'c\.utf-\?8'; then
		locale=C.UTF-8
	fi
	if ! _pg_as "$bindir/initdb" -D "$dir/data" -A trust -U postgres \
		--no-sync -E UTF8 --locale="$locale" --no-instructions \
		>"$dir/initdb.log" 2>&1; then
		echo "pg.sh: initdb failed in $dir/data:" >&2
		cat "$dir/initdb.log" >&2
		return 1
	fi
	echo "include_if_exists = 'pg_start.conf'" >>"$dir/data/postgresql.conf"
}

# Make DIR exist and belong to the server's OS user; refuse a DIR that is
# too deep for a unix socket or that the server user cannot reach.
_pg_prepare_dir()
{
	local dir=$1
	case $dir in
	/*) ;;
	*)
		echo "pg.sh: \"$dir\" is not an absolute path" >&2
		return 1
		;;
	esac
	if [ ${#dir} -gt 90 ]; then
		echo "pg.sh: \"$dir\" is too long for a unix socket path (${#dir} > 90 bytes); use mktemp -d /tmp/mig.XXXXXX" >&2
		return 1
	fi
	mkdir -p "$dir" || return 1
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir" || return 1
		[ -d "$dir/data" ] && chown -R postgres: "$dir/data"
		if ! runuser -u postgres -- test -w "$dir"; then
			echo "pg.sh: the postgres OS user cannot write to \"$dir\" (is a parent directory private?)" >&2
			return 1
		fi
	fi
}

pg_start()
{
	local dir=${1:?usage: pg_start DIR [name=value...]} bindir port
	shift
	dir=${dir%/}
	bindir=$(_pg_bindir) || return 1
	_pg_prepare_dir "$dir" || return 1
	_pg_initdb "$dir" "$bindir" || return 1
	if pg_running "$dir"; then
		echo "pg.sh: a server is already running in $dir" >&2
		return 1
	fi
	# Two servers starting at once may pick the same port: retry on
	# "could not bind".
	for _ in 1 2 3 4 5; do
		port=$(_pg_pick_port "$dir") || return 1
		_pg_write_conf "$dir" "$port" "$@" || return 1
		echo "$port" >"$dir/port"
		if _pg_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
			-w -t 60 -s start >"$dir/pg_ctl.log" 2>&1; then
			return 0
		fi
		if [ -z "${PG_PORT:-}" ] &&
			tail -n 20 "$dir/server.log" 2>/dev/null |
			grep -q -e 'could not bind' -e 'could not create any TCP/IP sockets' -e 'lock file .* already exists'; then
			continue
		fi
		break
	done
	echo "pg.sh: could not start the server in $dir (port $port); last lines of $dir/server.log:" >&2
	cat "$dir/pg_ctl.log" >&2 2>/dev/null
	tail -n 20 "$dir/server.log" >&2 2>/dev/null
	return 1
}

pg_running()
{
	local dir=${1%/} bindir
	[ -f "$dir/data/postmaster.pid" ] || return 1
	bindir=$(_pg_bindir) || return 1
	_pg_as "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

pg_stop()
{
	local dir=${1:?usage: pg_stop DIR} bindir
	dir=${dir%/}
	pg_running "$dir" || return 0
	bindir=$(_pg_bindir) || return 1
	_pg_as "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 -s stop >/dev/null 2>&1 || {
		pg_running "$dir" || return 0
		echo "pg.sh: could not stop the server in $dir" >&2
		return 1
	}
}

pg_restart()
{
	local dir=${1:?usage: pg_restart DIR} bindir
	dir=${dir%/}
	bindir=$(_pg_bindir) || return 1
	_pg_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast \
		-w -t 60 -s restart >"$dir/pg_ctl.log" 2>&1 || {
		echo "pg.sh: could not restart the server in $dir:" >&2
		cat "$dir/pg_ctl.log" >&2
		tail -n 20 "$dir/server.log" >&2 2>/dev/null
		return 1
	}
}

pg_port()
{
	local dir=${1%/}
	cat "$dir/port" 2>/dev/null || {
		echo "pg.sh: no server port recorded in $dir" >&2
		return 1
	}
}

pg_env()
{
	local dir=${1%/} port
	port=$(pg_port "$dir") || return 1
	printf 'export PGHOST=%q\nexport PGPORT=%q\nexport PGUSER=postgres\n' "$dir" "$port"
}

# pg_start_scram DIR [name=value ...]: pg_start, then ask every role but
# postgres for its password (SCRAM) over TCP; the socket stays trust.
pg_start_scram()
{
	local dir=$1
	shift
	pg_start "$dir" password_encryption=scram-sha-256 "$@" || return 1
	cat >"$dir/data/pg_hba.conf" <<'HBA'
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
	[ "$(id -u)" = 0 ] && chown postgres: "$dir/data/pg_hba.conf"
	psql -XAtq -h "$dir" -p "$(pg_port "$dir")" -U postgres -d postgres \
		-c "select pg_reload_conf()" </dev/null >/dev/null
}
