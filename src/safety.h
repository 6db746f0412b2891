/*
 * safety.h: the live-database safety observation of SPEC section 11.
 * While verify and up --dry-run run a unit's step in their rolled-back
 * transaction, every statement is followed by one query that reads the
 * runner's own locks (pg_locks), the relations' storage (relfilenode)
 * and the transaction's scan counters (pg_stat_xact_user_tables), or, in
 * verify, through a catalog window (safety_window.h); the step's end
 * turns what was seen into hazards, reported per statement.
 * A real up never observes anything.
 */
#ifndef MIGRATE_SAFETY_H
#define MIGRATE_SAFETY_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "buf.h"
#include "stmt_hook.h"

struct db;
struct safety_window;
struct step_failure;
struct unit;

/* --no-safety turns the observation off for the whole run. */
void safety_set_enabled(bool on);

/*
 * The transaction-id floor and catalog counters of the unit verify is
 * about to run (its catalog mark), or NULL after it: the unit's steps
 * may then be observed through that window (safety_window.h).
 */
void safety_set_window(const struct safety_window *w);

/*
 * After the unit's down step: when every statement since
 * safety_set_window was observed through the window, appends to *oids
 * the relations they wrote (catalog rows newer than the mark, of any
 * kind, comma-separated; what is gone since included) and returns true.
 * Every catalog row of pg_class, pg_attribute, pg_attrdef, pg_index and
 * pg_trigger that the unit wrote belongs to one of them (see
 * safety_window.h), which lets verify's catalog check leave those
 * catalogs unread (catalog_mark.h).
 */
bool safety_written(struct buf *oids);

/*
 * What drops the window's prepared statements (DEALLOCATE...;), for the
 * runner to send right after its ROLLBACK in the same message (same
 * session behind a pooler, no extra round trip); "" when none were made.
 */
const char *safety_release_sql(void);

/*
 * Starts observing u's up (or down) step on db: the relations that exist
 * now, listed by one query for the run's first step only, later steps
 * starting from what the previous one left.  Does nothing when the
 * observation is off or this step of u was observed already in this run
 * (verify applies a unit again after its round trip).  Never fails: a
 * failed query only turns the observation off for this step (with a
 * debug line).
 */
void safety_begin(struct db *db, const struct unit *u, bool up);

/*
 * The relation listing a run's first observed step needs, for the runner
 * to send in the round trip it makes just before that step (SPEC 11: at
 * most one extra round trip per statement): "" when no listing is needed
 * (observation off, or the relations are known).  The SQL yields
 * SAFETY_LISTING_RESULTS results; hand them to safety_take_listing.
 */
const char *safety_listing_sql(void);
#define SAFETY_LISTING_RESULTS 4

/*
 * Takes the results of safety_listing_sql's SQL (res[0..3]; the caller
 * still clears them).  A listing that failed is ignored: the step then
 * lists the relations itself.
 */
void safety_take_listing(PGresult *const *res, int n);

/*
 * Ends the step begun by safety_begin: when step_ok, classifies what was
 * seen and reports each hazard (a line, or a JSON event); when not, the
 * observation is dropped (the step's failure is the news).
 */
void safety_end(bool step_ok);

/*
 * safety_begin, step_run of u's up or down step on db, safety_end:
 * what verify calls instead of step_run.  Returns step_run's result.
 */
int safety_step_run(const struct unit *u, bool up, struct db *db, struct step_failure *f)
	__attribute__((warn_unused_result));

/*
 * A no-transaction unit is not run by verify or a dry run.  This runs its
 * step inside a savepoint of the open transaction, rolled back after, to
 * observe it: a statement that cannot run in a transaction block
 * (CREATE INDEX CONCURRENTLY) is skipped, every other one is observed as
 * running without lock_timeout.  A failing step is dropped silently.
 */
void safety_observe_no_transaction(struct db *db, const struct unit *u, bool up);

/* Hooks of stmt_hook.c around every unit statement. */
void safety_stmt_begin(const struct stmt_info *s);
bool safety_stmt_end(const struct stmt_info *s, bool ok);

/* 8 when rc is 0 and a hazard no unit accepted was reported, else rc. */
int safety_exit_code(int rc);

/*
 * The summary members ("hazards":N,"accepted_hazards":M) when anything
 * was observed, else "" (a static buffer, valid until the next call).
 */
const char *safety_summary_json(void);

/* How many hazards were reported, and how many of them were accepted. */
int safety_hazard_count(void);
int safety_accepted_count(void);

#endif
