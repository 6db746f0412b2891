/*
 * step.h: running one unit's up or down step on the current connection.
 */
#ifndef MIGRATE_STEP_H
#define MIGRATE_STEP_H

#include "db.h"
#include "unit_def.h"

struct step_failure
{
	const char *file; /* the unit file of the failed statement, or NULL */
	int line; /* its line in that file, or 0 */
	struct db_error err; /* what the server (or ecpglib) said */
};

/*
 * Calls fn with db as ECPG's current connection.  The first failing EXEC SQL
 * statement ends the step.  Returns 0, or -1 with *failure filled (release
 * with db_error_clear(&failure->err)) when a statement failed or the step
 * returned non-zero.
 */
int step_run(unit_step_fn fn, struct db *db, struct step_failure *failure)
	__attribute__((warn_unused_result));

#endif
