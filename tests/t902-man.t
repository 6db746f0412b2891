#!/usr/bin/env bash
# t902: migrate(1) and migrate.yaml(5) render without warnings and cannot
# drift from the binary and the source: every command, option and exit
# code of `migrate help`, every variable the source reads, and every key
# of the configuration's key table are documented, and the man pages
# document nothing that is gone.  Generic on purpose: a new command or
# option fails here with a message naming what to add and where.
. "$(dirname "$0")/lib/tap.sh"

MAN1=$MIGRATE_ROOT/docs/man/migrate.1
MAN5=$MIGRATE_ROOT/docs/man/migrate.yaml.5

# --------------------------------------------------------------- rendering
for page in "$MAN1" "$MAN5"; do
	name=${page##*/}
	if command -v mandoc >/dev/null; then
		run_cmd mandoc -T lint -W warning "$page"
		is "$RC:$OUT$ERR" "0:" "mandoc -T lint finds nothing in $name"
	else
		skip "mandoc is not installed (tools/install-deps installs it)"
	fi
	if command -v man >/dev/null; then
		run_cmd env MANWIDTH=80 man --warnings -l "$page"
		is "$RC:$ERR" "0:" "man --warnings renders $name without a warning"
	else
		skip "man is not installed"
	fi
done

# ---------------------------------------------------- what the binary says
# A section of a man page, with \- turned into -: from ".SH NAME" to the
# next .SH.
man_section()
{
	awk -v s="$2" '
		/^\.SH / { cur = $0; sub(/^\.SH +/, "", cur); gsub(/"/, "", cur); next }
		cur == s { gsub(/\\-/, "-"); print }' "$1"
}
# A command's subsection under COMMANDS (".SS NAME" to the next .SS/.SH).
man_command()
{
	man_section "$MAN1" COMMANDS | awk -v c="$1" '
		/^\.SS / { cur = $0; sub(/^\.SS +/, "", cur); gsub(/"/, "", cur); next }
		cur == c { print }'
}
# The leading option names of the option lines of a usage text.
help_options()
{
	sed -n -e 's/^ \{1,\}\(-[a-zA-Z]\), \(--[a-z][a-z-]*\).*/\1\n\2/p' \
		-e 's/^ \{1,\}\(--[a-z][a-z-]*\).*/\1/p'
}
# The option names a piece of roff source documents as .TP items: the
# first line after each .TP.
man_items()
{
	awk '/^\.TP/ { getline; print }' | grep -o -e '--[a-z][a-z-]*' -e '\(^\|[ "]\)-[a-zA-Z]\b' | tr -d ' "'
}

usage=$("$MIGRATE_BIN" help)
mapfile -t COMMANDS < <(printf '%s\n' "$usage" | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
ok "migrate help lists commands" test ${#COMMANDS[@]} -gt 5

missing=()
for c in "${COMMANDS[@]}"; do
	man_command "$c" | grep -q . || missing+=("$c")
done
is "${missing[*]}" "" "every command of \`migrate help\` has a \".SS NAME\" subsection under COMMANDS in docs/man/migrate.1 (missing are listed)"

documented=$(man_section "$MAN1" COMMANDS | sed -n 's/^\.SS \+"\?\([^"]*\)"\?$/\1/p')
gone=()
for c in $documented; do
	[[ " ${COMMANDS[*]} " == *" $c "* ]] || gone+=("$c")
done
is "${gone[*]}" "" "docs/man/migrate.1 documents no command that \`migrate help\` does not list"

# Each command's own options, in its subsection.
missing=()
for c in "${COMMANDS[@]}"; do
	cmdopts=$("$MIGRATE_BIN" help "$c" | sed -n '/^Command options:/,/^$/p' | help_options)
	sect=$(man_command "$c")
	for o in $cmdopts; do
		printf '%s\n' "$sect" | man_items | grep -qx -- "$o" || missing+=("$c $o")
	done
done
is "${missing[*]}" "" "every command option of \`migrate help COMMAND\` is a .TP item in that command's subsection of docs/man/migrate.1 (missing are listed as \"command option\")"

# The global options, in OPTIONS; and no option there that is gone.
globals=$(printf '%s\n' "$usage" | sed -n '/^Options:/,/^Exit codes:/p' | help_options | sort -u)
items=$(man_section "$MAN1" OPTIONS | man_items | sort -u)
is "$(comm -23 <(printf '%s\n' "$globals") <(printf '%s\n' "$items") | tr '\n' ' ')" "" \
	"every global option of \`migrate help\` is a .TP item under OPTIONS in docs/man/migrate.1 (missing are listed)"
is "$(comm -13 <(printf '%s\n' "$globals") <(printf '%s\n' "$items") | tr '\n' ' ')" "" \
	"OPTIONS in docs/man/migrate.1 holds no option that \`migrate help\` does not list"

# Exit codes: the numbers of the "Exit codes:" paragraph.
codes=$(printf '%s\n' "$usage" | sed -n '/^Exit codes:/,/^$/p' | grep -o '\(^\|[:,] \)[0-9][0-9/]* ' | grep -o '[0-9]\+' | sort -un)
ok "migrate help lists exit codes" test -n "$codes"
man_codes=$(man_section "$MAN1" "EXIT STATUS" | awk '/^\.TP/ { getline; print }' | sed -n 's/^\.B \([0-9]\+\)$/\1/p' | sort -un)
is "$(printf '%s ' $man_codes)" "$(printf '%s ' $codes)" "EXIT STATUS in docs/man/migrate.1 lists exactly the exit codes of \`migrate help\`"

# Variables: those `migrate help` names, and every MIGRATE_* or
# DATABASE_URL string and getenv() of the runner's own sources.
vars=$( {
	printf '%s\n' "$usage" | grep -o '(\(env\|also\) [A-Z_]\+' | awk '{ print $2 }'
	cat "$MIGRATE_ROOT"/src/*.c "$MIGRATE_ROOT"/pgc/*.pgc | grep -o '"\(MIGRATE_[A-Z_]*\|DATABASE_URL\)"' | tr -d '"'
	cat "$MIGRATE_ROOT"/src/*.c "$MIGRATE_ROOT"/pgc/*.pgc | grep -o 'getenv("[A-Z_]*")' | sed 's/getenv("\(.*\)")/\1/'
} | sort -u)
envsect=$(man_section "$MAN1" ENVIRONMENT)
missing=()
for v in $vars; do
	case $v in PG*) continue ;; esac # libpq's, listed together
	printf '%s\n' "$envsect" | grep -q "^\.B[R]\? $v\b" || missing+=("$v")
done
is "${missing[*]}" "" "every variable the runner reads has a \".B NAME\" item under ENVIRONMENT in docs/man/migrate.1 (missing are listed)"

# Files.
files=$(man_section "$MAN1" FILES)
for f in ./migrate.yaml ./.env migrations/; do
	like "$files" "$f" "FILES in docs/man/migrate.1 names $f"
done

# ------------------------------------------------------- migrate.yaml(5)
keys=$(sed -n 's/^\t*\[K_[A-Z_]*\] = {"\([a-z_]*\)".*/\1/p' "$MIGRATE_ROOT/src/cfg.c" | sort -u)
ok "src/cfg.c's key table is found" test "$(printf '%s\n' "$keys" | wc -l)" -gt 5
man_keys=$(man_section "$MAN5" KEYS | awk '/^\.TP/ { getline; print }' | sed -n 's/^\.B \([a-z_]*\)$/\1/p' | sort -u)
is "$(comm -23 <(printf '%s\n' "$keys") <(printf '%s\n' "$man_keys") | tr '\n' ' ')" "" \
	"every key of src/cfg.c has a \".TP\" / \".B key\" item under KEYS in docs/man/migrate.yaml.5 (missing are listed)"
is "$(comm -13 <(printf '%s\n' "$keys") <(printf '%s\n' "$man_keys") | tr '\n' ' ')" "" \
	"KEYS in docs/man/migrate.yaml.5 holds no key that src/cfg.c does not know"
for v in $(sed -n 's/.*"\(MIGRATE_[A-Z_]*\|DATABASE_URL\)".*/\1/p' "$MIGRATE_ROOT/src/cfg.c" | sort -u); do
	[ "$v" = MIGRATE_CONFIG ] && continue # names the file itself: DESCRIPTION
	like "$(man_section "$MAN5" KEYS)" "$v" "docs/man/migrate.yaml.5 names the variable $v at its key"
done

# ----------------------------------------------- installed by make install
# install-man is the part of make install that installs them (t160 runs
# the whole of make install).
run_cmd make -s -C "$MIGRATE_ROOT" install-man PREFIX=/usr DESTDIR="$PWD/dest"
is "$RC" "0" "make install-man succeeds"
ok "make install installs migrate(1)" cmp "$MAN1" dest/usr/share/man/man1/migrate.1
ok "make install installs migrate.yaml(5)" cmp "$MAN5" dest/usr/share/man/man5/migrate.yaml.5
run_cmd env MANPATH="$PWD/dest/usr/share/man" MANWIDTH=80 man migrate.yaml
like "$OUT" 'history_table' "man finds migrate.yaml(5) under the installed MANPATH"

done_testing
