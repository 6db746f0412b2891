#!/usr/bin/env bash
# t700: an empty migrations/ (no units at all) builds, also under the
# sanitizers (issue 10 item 7: qsort(NULL, 0, ...) in gen_registry), and
# the binary runs.
. "$(dirname "$0")/lib/tap.sh"


mkdir -p empty
touch empty/.gitkeep
build_units empty
is "$RC" "0" "a directory without units builds"
unlike "$ERR" 'runtime error|AddressSanitizer' "the registry generator runs clean under the sanitizers"
ok "the registry lists no unit" grep -q 'registry_count = 0;' out-empty/registry.c

db=$(fresh_db) || BAIL_OUT "cannot create a database"
command_checks_all 0 '' '' "up with no units exits 0" -- out-empty/migrate -d "$(db_url "$db")" up
command_checks_all 0 '' '' "status with no units exits 0" -- out-empty/migrate -d "$(db_url "$db")" status

done_testing
