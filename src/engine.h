/*
 * engine.h: applying and rolling back units against one database, with
 * the transactions, locks and history rows of SPEC section 5.
 */
#ifndef MIGRATE_ENGINE_H
#define MIGRATE_ENGINE_H

#include <stdbool.h>

#include "cfg.h"
#include "db.h"
#include "history.h"
#include "plan.h"

struct engine
{
	const struct migrate_config *cfg; /* not owned */
	struct db *db; /* owned */
	struct db *direct; /* owned when != db; for no-transaction units */
	struct history_table ht;
	struct txn_settings ts;
	char app_name[64]; /* migrate/<host>/<pid>/<start> */
	bool unflushed; /* a commit of this run may not be on disk yet */
	bool list_relations; /* up --dry-run: the opening batch also lists the
						  * relations for the safety report (SPEC 11) */
	char *stamp; /* the last engine_fingerprint_record's stamp, or NULL */
	char *mark_sql; /* verify: the catalog mark for this server's catalogs, once known */
};

/*
 * Connects to cfg->database_url and prepares the history table's names.
 * Returns 0, or the exit code (2 bad configuration, 5 cannot connect)
 * after reporting.  Release with engine_close even on failure.
 */
int engine_open(struct engine *e, const struct migrate_config *cfg)
	__attribute__((warn_unused_result));
void engine_close(struct engine *e);

/*
 * Reads the history rows (empty when the table does not exist yet) and
 * builds the status list.  Read-only, no lock.  Returns 0 or an exit code.
 */
int engine_status(struct engine *e, struct history *h, struct plan_status *st)
	__attribute__((warn_unused_result));

/*
 * engine_status for the status command, in the same round trip: *marked,
 * the protection mark (protect.h); *current (current may be NULL: not
 * read), whether the newest row's
 * stored fingerprint is provably the live one without recomputing it
 * (its stamp holds; docs/fingerprint.md).
 */
int engine_status_drift(struct engine *e, struct history *h, struct plan_status *st, bool *marked,
						bool *current) __attribute__((warn_unused_result));

/* Applies pending units; returns the exit code. */
int engine_up(struct engine *e, const struct up_options *o, bool dry_run);

/* Rolls back applied units; returns the exit code. */
int engine_down(struct engine *e, const struct down_options *o, bool dry_run);

/*
 * Rolls back the step newest recorded units and applies exactly those
 * again, all in one transaction with their history rows: all or nothing.
 * Refused (6, nothing changed) before any step when either half would be
 * (plan_redo).  Returns the exit code.
 */
int engine_redo(struct engine *e, long step);

/*
 * Computes the live schema's fingerprint into hex (and the text into
 * *text when not NULL).  Returns 0 or an exit code after reporting.
 */
int engine_fingerprint(struct engine *e, char hex[65], struct buf *text)
	__attribute__((warn_unused_result));

/*
 * engine_fingerprint for a run that stores the hash in the open
 * transaction: also keeps the stamp that lets a later status trust it
 * (e->stamp, NULL when none can be given; docs/fingerprint.md).
 */
int engine_fingerprint_record(struct engine *e, char hex[65]) __attribute__((warn_unused_result));

/*
 * Appends the statements that store hex in the newest history row and,
 * when engine_fingerprint_record gave one, its stamp.
 */
void engine_sql_store_hash(struct engine *e, struct buf *sql, const char hex[65]);

#endif
