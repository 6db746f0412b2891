/*
 * unit_def.h: what one compiled unit exports, and the one place that says
 * what its flags mean.  Shared by the runner and by pgc/migrate_unit.h,
 * which the units include.
 */
#ifndef MIGRATE_UNIT_DEF_H
#define MIGRATE_UNIT_DEF_H

#include <stdbool.h>
#include <stddef.h>

/* The unit's down step refuses to run: it cannot be undone. */
#define MIGRATE_IRREVERSIBLE 0x1u
/* Runs in autocommit, outside a transaction (CREATE INDEX CONCURRENTLY). */
#define MIGRATE_NO_TRANSACTION 0x2u
/* Every flag this runner knows; MIGRATE_UNIT refuses others at build time. */
#define MIGRATE_UNIT_KNOWN_FLAGS (MIGRATE_IRREVERSIBLE | MIGRATE_NO_TRANSACTION)

/* A step returns 0 on success; anything else fails the unit. */
typedef int (*unit_step_fn)(void);

/* One statement of a plain-SQL unit: the .sql file's exact bytes. */
struct unit_sql_stmt
{
	int line; /* the statement's first line in the .sql file */
	bool terminated; /* it ends with its own ";" (else the section ended it) */
	const char *text;
};

/* A "-- migrate:accept CODE RELATION" line of a plain-SQL unit's section. */
struct unit_sql_accept
{
	int line;
	const char *code;
	const char *relation;
};

/*
 * A plain-SQL unit's statements as data (tools/sql_unit), beside the step
 * functions that send them one by one: with them the runner can send a
 * step's statements and its own bookkeeping in one message
 * (src/sql_batch.h).  The step functions stay, for the paths that observe
 * each statement (verify, up --dry-run) or run them outside a transaction.
 */
struct unit_sql_steps
{
	const char *file; /* the .sql file as given to the build */
	const struct unit_sql_stmt *up;
	size_t n_up;
	const struct unit_sql_stmt *down; /* NULL when irreversible */
	size_t n_down;
	/* the sections' accept lines, which a step that runs reports on (safety.h) */
	const struct unit_sql_accept *up_accepts;
	size_t n_up_accepts;
	const struct unit_sql_accept *down_accepts;
	size_t n_down_accepts;
};

struct unit_def
{
	unit_step_fn up;
	unit_step_fn down; /* NULL when irreversible */
	unsigned int flags;
	/*
	 * NULL for .pgc units, and for .sql units whose statements must reach
	 * the server one at a time (sql_unit says which).
	 */
	const struct unit_sql_steps *sql;
};

/* Whether the unit has a down step that may run (not declared irreversible). */
static inline bool
unit_def_reversible(const struct unit_def *d)
{
	return d->down != NULL && (d->flags & MIGRATE_IRREVERSIBLE) == 0;
}

/* Whether the unit runs inside a transaction (not MIGRATE_NO_TRANSACTION). */
static inline bool
unit_def_transactional(const struct unit_def *d)
{
	return (d->flags & MIGRATE_NO_TRANSACTION) == 0;
}

/* Whether every flag bit is one this runner knows. */
static inline bool
unit_def_flags_known(const struct unit_def *d)
{
	return (d->flags & ~MIGRATE_UNIT_KNOWN_FLAGS) == 0;
}

#endif
