/*
 * exitcode.h: what each exit code of the runner means (SPEC section 8).
 * Functions that return an exit code return one of these.
 */
#ifndef MIGRATE_EXITCODE_H
#define MIGRATE_EXITCODE_H

enum exit_code
{
	EXIT_OK = 0, /* success, including nothing to do */
	EXIT_UNIT_FAILED = 1, /* a unit (or the runner's own SQL) failed; rolled back */
	EXIT_USAGE = 2, /* usage or configuration error, or a protection refusal */
	EXIT_CHECK = 3, /* status --check: pending units, or drift */
	EXIT_LOCK = 4, /* a lock was not granted within lock_timeout */
	EXIT_CONNECT = 5, /* cannot connect, or the server is a read-only standby */
	EXIT_INTEGRITY = 6, /* integrity refusal (modified, unknown, running...) */
	EXIT_BROKEN = 7, /* verify found a broken unit */
	EXIT_HAZARD = 8, /* a live-database hazard that no unit accepted */
	EXIT_SIGINT = 130, /* interrupted by SIGINT */
	EXIT_SIGTERM = 143 /* interrupted by SIGTERM */
};

#endif
