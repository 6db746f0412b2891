/*
 * migrate_unit.h: included by every unit as
 *
 *     EXEC SQL INCLUDE migrate_unit;
 *
 * It makes the first failing statement end the step (the WHENEVER below
 * is textual, so it applies to every statement of the unit after the
 * include) and provides MIGRATE_UNIT(), which exports the unit's steps
 * under the symbol the build names after the file.
 */
#ifndef MIGRATE_MIGRATE_UNIT_H
#define MIGRATE_MIGRATE_UNIT_H

#include <stddef.h>
#include <libpq-fe.h>
#include "unit_def.h"

/*
 * Records the failed statement's unit file, line and error, then leaves
 * the step (longjmp back to the runner).  Never returns.
 */
void		migrate_sql_failed(const char *file, int line);

/*
 * For libpq calls a unit makes itself on ECPGget_PGconn(NULL) (COPY with
 * PQputCopyData, say): records res's error (or the connection's, when res
 * is NULL or holds none) with the unit's file and line, clears res, then
 * leaves the step like a failed EXEC SQL statement.  Never returns.
 */
void		migrate_pq_failed(const char *file, int line, PGresult *res);

/* MIGRATE_PQ_FAILED(res): migrate_pq_failed at the caller's file and line. */
#define MIGRATE_PQ_FAILED(res) migrate_pq_failed(__FILE__, __LINE__, (res))

#ifndef MIGRATE_UNIT_SYMBOL
#error "units are built by the GNUmakefile, which names the unit's symbol"
#endif

/* flags must be a constant made of MIGRATE_UNIT_KNOWN_FLAGS (unit_def.h) */
#define MIGRATE_UNIT(up_fn, down_fn, flags) \
	_Static_assert(((flags) & ~MIGRATE_UNIT_KNOWN_FLAGS) == 0, \
				   "MIGRATE_UNIT: unknown flag bits (see unit_def.h)"); \
	extern const struct unit_def MIGRATE_UNIT_SYMBOL; \
	const struct unit_def MIGRATE_UNIT_SYMBOL = {(up_fn), (down_fn), (flags)}

#endif

EXEC SQL WHENEVER SQLERROR DO migrate_sql_failed(__FILE__, __LINE__);
