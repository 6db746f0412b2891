#!/usr/bin/env bash
# t632: verify never commits.  A unit that sends COMMIT through EXECUTE
# IMMEDIATE meets a deferred trigger that makes every commit of verify's
# transaction fail, so nothing verify did (--all empties the database
# inside it) is ever committed; verify stops with exit 1 and says which
# unit ended its transaction.
. "$(dirname "$0")/lib/tap.sh"

for set in guard_commit guard_commit_end; do
	bin=$(set_bin $set)
	db=$(fresh_db verify_commit) || BAIL_OUT "cannot create a database"
	url=$(db_url "$db")
	run_cmd "$bin" -d "$url" up --to 1
	is "$RC" 0 "$set: the first unit applies"
	psql_val "$db" "INSERT INTO before_commit VALUES (42)"
	before=$(pg_dump -d "$url" | grep -v '^\\\(un\)\?restrict ')

	command_checks_all 1 'verify 0001 create_before +reversible' \
		"0002_commit_[a-z_]*\\.pgc:[0-9]+: unit 0002_commit_[a-z_]* ended verify's transaction; verify stopped and nothing was changed" \
		"$set: verify --all stops with exit 1 at the unit that commits" -- "$bin" -d "$url" verify --all
	like "$ERR" 'verify never commits' "$set: the server's refusal is shown"
	is "$(pg_dump -d "$url" | grep -v '^\\\(un\)\?restrict ')" "$before" \
		"$set: nothing was committed: schema, the row in before_commit and the history as before"

	run_cmd "$bin" -d "$url" verify --json
	is "$RC" 1 "$set: verify of the pending units exits 1 too"
	is "$(json_event "$OUT" summary | jq -r .exit_code)" 1 "$set: and ends with a summary carrying exit code 1"
	is "$(pg_dump -d "$url" | grep -v '^\\\(un\)\?restrict ')" "$before" "$set: nothing was committed"
done

done_testing
