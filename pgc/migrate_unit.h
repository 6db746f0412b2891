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

#include <stdbool.h>
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

/*
 * Every EXEC SQL statement of the unit runs through the runner's wrapper
 * (src/stmt_hook.h): ecpg writes each one as a call to ECPGdo(__LINE__,
 * ...), after this header, so this macro wraps them all; a macro naming
 * itself does not recurse.  The wrapper turns ecpglib's -202 for a SELECT
 * without INTO that returned rows into a success, and lets verify and
 * up --dry-run observe what each statement does (SPEC section 11).
 * src/stmt_hook.h declares the same functions for the runner: keep the
 * two the same.
 */
void		migrate_stmt_before(const char *file, const int lineno, const int compat,
								const int force_indicator, const char *connection_name,
								const bool questionmarks, const int st, const char *query, ...);
bool		migrate_stmt_after(bool ok);
void		migrate_accept(const char *file, int line, const char *code, const char *relation);

#define ECPGdo(...) \
	(migrate_stmt_before(__FILE__, __VA_ARGS__), migrate_stmt_after(ECPGdo(__VA_ARGS__)))

/*
 * MIGRATE_ACCEPT("rewrite", "users"); in a step accepts that live-database
 * hazard on that relation for the step (SPEC 2.1): it is still reported,
 * marked accepted, and does not make verify or up --dry-run exit 8.
 */
#define MIGRATE_ACCEPT(code, relation) migrate_accept(__FILE__, __LINE__, (code), (relation))

/*
 * A plain-SQL unit (tools/sql_unit) sends each statement with this, so
 * that its statements are observed like EXEC SQL ones: PQexec on conn,
 * with the .sql file and line.  Returns PQexec's result (the caller
 * clears it).
 */
PGresult   *migrate_sql_exec(PGconn *conn, const char *file, int line, const char *sql);

#define MIGRATE_SQL_EXEC(conn, file, line, sql) migrate_sql_exec((conn), (file), (line), (sql))

#ifndef MIGRATE_UNIT_SYMBOL
#error "units are built by the GNUmakefile, which names the unit's symbol"
#endif

/* flags must be a constant made of MIGRATE_UNIT_KNOWN_FLAGS (unit_def.h) */
#define MIGRATE_UNIT(up_fn, down_fn, flags) MIGRATE_SQL_UNIT(up_fn, down_fn, flags, NULL)

/*
 * MIGRATE_UNIT for tools/sql_unit's output: sql points to the unit's
 * statements as data (struct unit_sql_steps), or is NULL.
 */
#define MIGRATE_SQL_UNIT(up_fn, down_fn, unit_flags, sql_steps) \
	_Static_assert(((unit_flags) & ~MIGRATE_UNIT_KNOWN_FLAGS) == 0, \
				   "MIGRATE_UNIT: unknown flag bits (see unit_def.h)"); \
	extern const struct unit_def MIGRATE_UNIT_SYMBOL; \
	const struct unit_def MIGRATE_UNIT_SYMBOL = { \
		.up = (up_fn), .down = (down_fn), .flags = (unit_flags), .sql = (sql_steps)}

#endif

EXEC SQL WHENEVER SQLERROR DO migrate_sql_failed(__FILE__, __LINE__);
