/*
 * engine_verify.h: the round-trip test of SPEC section 6 (verify), next
 * to apply in the engine: the transaction, its savepoints and the
 * fingerprints; the command layer only prints what this reports.
 */
#ifndef MIGRATE_ENGINE_VERIFY_H
#define MIGRATE_ENGINE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "engine.h"
#include "registry.h"

enum verify_verdict
{
	VERIFY_REVERSIBLE, /* the down step restored the schema exactly */
	VERIFY_IRREVERSIBLE, /* declared irreversible; its up step applied */
	VERIFY_SKIPPED, /* no-transaction: cannot run inside verify's transaction */
	VERIFY_BROKEN, /* the down step failed, or left a different schema */
	VERIFY_UNTESTABLE, /* a step failed only because verify runs it in one transaction */
	VERIFY_FAILED /* the up step failed */
};

/* One unit's verdict, valid during the report callback only. */
struct verify_result
{
	const struct unit *unit;
	enum verify_verdict verdict;
	const char *reason; /* the failing step's error and place, or NULL */
	const char *diff; /* schema_diff lines ("- ..."/"+ ...", '\n' after each), or NULL */
	size_t ndiff; /* how many lines of the canonical text differ */
};

typedef void (*verify_report_fn)(const struct verify_result *r, void *arg);

/* "reversible", "broken", ...: the verdict as text and JSON print it. */
const char *verify_verdict_name(enum verify_verdict v);

/*
 * Verifies the pending units (with all: every unit, from an empty
 * database) inside one transaction that holds the migration lock and is
 * always rolled back, calling report once per unit in version order.
 * Returns 0 when every unit got a verdict, or the exit code of a failure
 * of the runner itself (connection, lock, fingerprint) after reporting
 * it; verdicts are not failures here, the caller turns them into an exit
 * code.
 */
int engine_verify(struct engine *e, bool all, verify_report_fn report, void *arg)
	__attribute__((warn_unused_result));

#endif
