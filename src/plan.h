/*
 * plan.h: what to do, decided from the units in the binary and the rows
 * in the history table, without touching the database.
 */
#ifndef MIGRATE_PLAN_H
#define MIGRATE_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "history_row.h"
#include "registry.h"

enum unit_state
{
	UNIT_PENDING,
	UNIT_OUT_OF_ORDER, /* pending below the highest applied version */
	UNIT_APPLIED,
	UNIT_BASELINE,
	UNIT_MODIFIED, /* applied, but the file changed since */
	UNIT_UNKNOWN, /* a row for a version the binary lacks */
	UNIT_RUNNING /* a no-transaction unit in flight or dead */
};

/* One line of status: a unit, a history row, or both. */
struct plan_entry
{
	long long version;
	const char *name;
	enum unit_state state;
	const struct unit *unit; /* NULL for unknown versions */
	const struct history_row *row; /* NULL for pending units */
};

struct plan_status
{
	struct plan_entry *entries; /* owned; by version */
	size_t n;
	long long highest_applied; /* 0 when nothing is applied; running rows do not count */
	long long highest_recorded; /* the highest version with any row, running included */
};

/* Merges units and rows into one list.  Release with plan_status_free. */
void plan_status_build(const struct unit *units, size_t nunits, const struct history *h,
					   struct plan_status *out);
void plan_status_free(struct plan_status *st);

const char *plan_state_name(enum unit_state s);

struct up_options
{
	long long to; /* 0: no limit */
	long step; /* 0: no limit */
	bool out_of_order;
	bool single_transaction;
};

struct down_options
{
	long long to; /* roll back versions above it; -1: not given */
	long step; /* default 1 */
	bool all;
	bool single_transaction;
};

/*
 * Chooses the units to apply, in version order, into out[] (room for
 * nunits).  Returns 0 with *n set, or 6 after writing the reason into
 * *why (modified units, running rows, out-of-order versions, a
 * no-transaction unit in --single-transaction), naming the units.
 * Running rows whose owner is alive are not refused here: *wait_for_running
 * is set so the caller can wait for them.
 */
int plan_up(const struct plan_status *st, const struct up_options *o, const struct unit **out,
			size_t *n, bool *wait_for_running, struct buf *why) __attribute__((warn_unused_result));

/*
 * Chooses the applied units to roll back, newest first.  Returns 0 with
 * *n set, or 6 with *why naming what refuses it (modified, unknown or
 * irreversible units on the way, running rows, a no-transaction unit in
 * --single-transaction).
 */
int plan_down(const struct plan_status *st, const struct down_options *o,
			  const struct plan_entry **out, size_t *n, struct buf *why)
	__attribute__((warn_unused_result));

/*
 * Chooses what redo rolls back and applies again: the step (at least 1)
 * newest recorded units, newest first, into out[] (room for st->n).  The
 * up half applies exactly these units, whatever else is pending.
 * Returns 0 with *n set, or 6 with *why naming what refuses either half
 * (modified units or running rows anywhere; unknown, irreversible or
 * no-transaction units in the range: redo runs every step in one
 * transaction).
 */
int plan_redo(const struct plan_status *st, long step, const struct plan_entry **out, size_t *n,
			  struct buf *why) __attribute__((warn_unused_result));

#endif
