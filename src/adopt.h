/*
 * adopt.h: "migrate import --from FORMAT DIR --adopt" (SPEC section 12):
 * taking over another tool's history as baseline rows, in one
 * transaction with the imported units' files.
 */
#ifndef MIGRATE_ADOPT_H
#define MIGRATE_ADOPT_H

#include <stdbool.h>

#include "engine.h"
#include "import.h"

/* The table in which format keeps its history: "goose_db_version", ... */
const char *adopt_source_table(const char *format);

/*
 * With set planned (import_plan), reads the source tool's history from
 * the database, and refuses (6, nothing changed) while it records a dirty
 * or failed migration, when an applied version has no unit in set, or
 * when this runner's history table already has rows or another tool's
 * shape.  Otherwise, in one transaction under the migration lock: moves a
 * source table that has the history table's name aside
 * (<table>_<format>), creates the history table, records every applied
 * version as 'baseline' (with the imported unit's checksum) and writes
 * the units' files, removing them again when the commit fails.  Returns
 * the exit code after reporting; *recorded counts the rows written.
 */
int adopt_run(struct engine *e, struct import_set *set, const char *dir, bool json, int *recorded);

#endif
