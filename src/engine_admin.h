/*
 * engine_admin.h: baseline and repair, the two commands that change the
 * history table without running any unit.
 */
#ifndef MIGRATE_ENGINE_ADMIN_H
#define MIGRATE_ENGINE_ADMIN_H

#include "engine.h"

/*
 * Records every unit of the binary with a version up to v as 'baseline'
 * (with the live schema's fingerprint in the newest row) without running
 * it, in one transaction under the lock.  Refuses with 6 when the history
 * table has any row, 5 on a read-only standby.  Records nothing (and
 * returns 0 after a notice) when no unit is at or below v.  Returns the
 * exit code after reporting; *recorded counts the rows written.
 */
int engine_baseline(struct engine *e, long long v, int *recorded);

/*
 * Stores the binary's checksum in every applied or baseline row whose
 * checksum differs, and deletes every 'running' row whose owner has no
 * session left, in one transaction under the lock.  Running rows of a
 * live runner and rows unknown to the binary are left alone (with a
 * notice).  Returns the exit code after reporting; *repaired counts the
 * rows changed.
 */
int engine_repair(struct engine *e, int *repaired);

#endif
