/*
 * unit_def.h: what one compiled unit exports.  Shared by the runner and by
 * pgc/migrate_unit.h, which the units include.
 */
#ifndef MIGRATE_UNIT_DEF_H
#define MIGRATE_UNIT_DEF_H

/* The unit's down step refuses to run: it cannot be undone. */
#define MIGRATE_IRREVERSIBLE 0x1u
/* Runs in autocommit, outside a transaction (CREATE INDEX CONCURRENTLY). */
#define MIGRATE_NO_TRANSACTION 0x2u

/* A step returns 0 on success; anything else fails the unit. */
typedef int (*unit_step_fn)(void);

struct unit_def
{
	unit_step_fn up;
	unit_step_fn down; /* NULL when irreversible */
	unsigned int flags;
};

#endif
