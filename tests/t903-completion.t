#!/usr/bin/env bash
# t903: the bash completion, driven as bash does it (bash-completion
# loaded, COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT set, _migrate
# called, COMPREPLY read): commands, options, environments of
# migrate.yaml, unit versions for --to; and make install puts it where
# bash-completion's loader finds it.
. "$(dirname "$0")/lib/tap.sh"

COMPLETION=$MIGRATE_ROOT/tools/bash-completion/migrate
BASH_COMPLETION=/usr/share/bash-completion/bash_completion
[ -r "$BASH_COMPLETION" ] || skip_all "bash-completion is not installed (tools/install-deps installs it)"

mkdir -p bin && ln -s "$MIGRATE_BIN" bin/migrate

# complete LINE: the candidates for the end of LINE, sorted, one line,
# space-separated.  A LINE ending in a blank completes a new word.
complete_line()
{
	local line=$1
	PATH="$PWD/bin:$PATH" bash --norc --noprofile -c '
		. "$1" || exit 1
		. "$2" || exit 1
		COMP_LINE=$3
		COMP_POINT=${#COMP_LINE}
		# As readline splits: at blanks, and "=" is a word of its own.
		read -r -a ws <<<"$COMP_LINE"
		COMP_WORDS=()
		for w in "${ws[@]}"; do
			while [[ $w == *=* ]]; do
				[ -n "${w%%=*}" ] && COMP_WORDS+=("${w%%=*}")
				COMP_WORDS+=("=")
				w=${w#*=}
			done
			[ -n "$w" ] && COMP_WORDS+=("$w")
		done
		[[ $COMP_LINE == *" " || $COMP_LINE == *= ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_migrate migrate "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' \
		t903 "$BASH_COMPLETION" "$COMPLETION" "$line" </dev/null 2>&1 | sort | tr '\n' ' ' | sed 's/ $//'
}

# Commands: exactly those of `migrate help`, whatever they are.
all=$("$MIGRATE_BIN" help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | sort | tr '\n' ' ' | sed 's/ $//')
is "$(complete_line 'migrate ')" "$all" "an empty word completes every command of migrate help"
is "$(complete_line 'migrate st')" "status" "\"st\" completes to status"
is "$(complete_line 'migrate -q d')" "down drop-db" "the command is found after global options"
is "$(complete_line 'migrate help re')" "redo repair" "help completes command names"

# Options: the command's and the global ones, not those a description mentions.
got=$(complete_line 'migrate up --')
for o in --to --step --dry-run --single-transaction --out-of-order --json --config --env --database-url --force; do
	like " $got " " $o " "up -- offers $o"
done
is "$(complete_line 'migrate down --a')" "--all" "down --a completes to --all"
is "$(complete_line 'migrate status --ch')" "--check" "status --ch completes to --check"
unlike " $(complete_line 'migrate status --')" " --all " "status does not offer --all (only a description mentions it)"
is "$(complete_line 'migrate --ver')" "--verbose --version" "global options before the command"

# Environments from migrate.yaml, the -c file, MIGRATE_CONFIG.
cat >migrate.yaml <<'YAML'
# comment
lock_timeout: 5s
default_environment: development
environments:
  development:
    database_url: postgresql:///dev
  # a comment between environments
  "staging-eu":
    database_url: postgresql:///staging
    lock_timeout: 10s
  production:
    protected: true
migrations_dir: units
YAML
is "$(complete_line 'migrate -e ')" "development production staging-eu" "-e completes the environments of ./migrate.yaml"
is "$(complete_line 'migrate status --env p')" "production" "--env completes a prefix"
mkdir -p conf && printf 'environments:\n  alpha: {}\n  beta:\n    protected: true\n' >conf/other.yaml
is "$(complete_line 'migrate -c conf/other.yaml up -e ')" "alpha beta" "-c FILE before -e: its environments"
is "$(MIGRATE_CONFIG=conf/other.yaml complete_line 'migrate -e ')" "alpha beta" "MIGRATE_CONFIG names the file"
is "$(complete_line 'migrate --config=conf/other.yaml up -e ')" "alpha beta" "--config=FILE before -e: its environments"
is "$(complete_line 'migrate --env=p')" "production" "--env=NAME completes NAME"
is "$(complete_line 'migrate --env=')" "development production staging-eu" "--env= completes every name"
touch notes.txt
got=$(complete_line 'migrate -c ')
like " $got " " migrate.yaml " "-c completes YAML files"
like " $got " " conf " "-c completes directories"
unlike " $got " "notes.txt" "-c does not offer other files"

# --to: from the database when it answers, by command.
db=$(fresh_db compl) || BAIL_OUT "cannot create a database"
url=$(db_url "$db")
"$MIGRATE_BIN" -d "$url" up --to 3 >/dev/null 2>&1 || BAIL_OUT "cannot apply units"
# every version in migrations/, and those above 3
allv=$(ls "$MIGRATE_ROOT/migrations" | sed -n 's/^0*\([0-9][0-9]*\)_[a-z0-9_]*\.\(pgc\|sql\)$/\1/p' | sort -n | paste -sd' ')
pending=$(tr ' ' '\n' <<<"$allv" | awk '$1 > 3' | paste -sd' ')
nsort() { tr ' ' '\n' | sort -n | paste -sd' '; } # bash offers them sorted as words
is "$(complete_line "migrate -d $url up --to " | nsort)" "$pending" "up --to offers the pending versions"
is "$(complete_line "migrate -d $url down --to ")" "1 2 3" "down --to offers the applied versions"
is "$(DATABASE_URL=$url complete_line "migrate up --to " | nsort)" "$pending" "the database of DATABASE_URL"
is "$(complete_line "migrate -d $url baseline " | nsort)" "$allv" "baseline completes every version"
# ... else from the unit files of migrations_dir.
mkdir -p units && touch units/0001_a.pgc units/0002_b.pgc units/20260101120000_c.pgc
start=$SECONDS
is "$(complete_line "migrate -d postgresql:///nodb?host=$PWD/none up --to ")" "0001 0002 20260101120000" \
	"without a database, --to offers the versions of migrations_dir"
ok "a database that cannot be reached costs at most a few seconds" test $((SECONDS - start)) -le 5
is "$(complete_line 'migrate up --to ')" "0001 0002 20260101120000" "... also with no connection string at all"

# Nothing is completed where a value is free text.
is "$(complete_line 'migrate --lock-timeout ')" "" "no candidates for a duration"

# ------------------------------------------------ installed where bash looks
# install-completion is the part of make install that installs it (t160
# runs the whole of make install).
run_cmd make -s -C "$MIGRATE_ROOT" install-completion PREFIX=/usr DESTDIR="$PWD/dest"
is "$RC" "0" "make install-completion succeeds"
ok "make install installs the completion" cmp "$COMPLETION" dest/usr/share/bash-completion/completions/migrate
run_cmd env XDG_DATA_DIRS="$PWD/dest/usr/share" PATH="$PWD/bin:$PATH" bash --norc --noprofile -c \
	'. "$1"; __load_completion migrate && complete -p migrate' t903 "$BASH_COMPLETION"
like "$OUT" 'complete -F _migrate migrate' "bash-completion's loader finds the installed completion"

done_testing
