/*
 * stmt_hook.h: every EXEC SQL statement of a unit goes through here.
 * pgc/migrate_unit.h redefines ECPGdo as a macro that calls
 * migrate_stmt_before() with ECPGdo's own arguments, then the real
 * ECPGdo, then migrate_stmt_after() with its result, so that units are
 * observed without changing their source.
 */
#ifndef MIGRATE_STMT_HOOK_H
#define MIGRATE_STMT_HOOK_H

#include <stdbool.h>

#include <libpq-fe.h>

/* What the runner knows about the statement being run. */
struct stmt_info
{
	const char *file; /* the unit's .pgc file (ecpg's #line) */
	int line; /* the statement's first line in it */
	int type; /* ECPGst_normal, ECPGst_exec_immediate... */
	const char *query; /* the SQL text (or the string executed) */
	int n_in; /* input host variables */
	int n_out; /* output host variables (INTO) */
};

/*
 * Called before ECPGdo with the file and ECPGdo's arguments; walks the
 * variable list (ECPGt_EOIT ends the inputs, ECPGt_EORT the outputs).
 */
void migrate_stmt_before(const char *file, const int lineno, const int compat,
						 const int force_indicator, const char *connection_name,
						 const bool questionmarks, const int st, const char *query, ...);

/*
 * Called with ECPGdo's result; returns the result the unit sees.  A
 * statement without output variables whose rows came back is a success
 * (the server ran it; its rows are discarded, as psql does) instead of
 * ecpglib's -202 "too few arguments".
 */
bool migrate_stmt_after(bool ok);

/*
 * MIGRATE_ACCEPT(code, relation) in a step: the unit's author accepts the
 * live-database hazard code (section 11) on relation for this step.
 */
void migrate_accept(const char *file, int line, const char *code, const char *relation);

/*
 * A plain-SQL unit's statement (tools/sql_unit sends each one through
 * MIGRATE_SQL_EXEC): PQexec on conn, observed like an EXEC SQL statement.
 * When a no-transaction step is being observed, a statement that refuses
 * a transaction block is skipped and an empty success returned.
 */
PGresult *migrate_sql_exec(PGconn *conn, const char *file, int line, const char *sql);

/* The statement being run (valid between before and after). */
const struct stmt_info *stmt_hook_current(void);

#endif
