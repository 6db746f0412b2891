/*
 * plan.c: status and up/down planning, pure functions over the registry
 * and the history rows.
 */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "unitname.h"

const char *
plan_state_name(enum unit_state s)
{
	switch (s)
	{
		case UNIT_PENDING:
			return "pending";
		case UNIT_OUT_OF_ORDER:
			return "out-of-order";
		case UNIT_APPLIED:
			return "applied";
		case UNIT_BASELINE:
			return "baseline";
		case UNIT_MODIFIED:
			return "modified";
		case UNIT_UNKNOWN:
			return "unknown";
		case UNIT_RUNNING:
			return "running";
	}
	return "?";
}

static enum unit_state
state_of(const struct unit *u, const struct history_row *r)
{
	if (r == NULL)
		return UNIT_PENDING;
	if (strcmp(r->state, "running") == 0)
		return UNIT_RUNNING;
	if (u == NULL)
		return UNIT_UNKNOWN;
	if (strcmp(r->checksum, u->checksum) != 0)
		return UNIT_MODIFIED;
	return strcmp(r->state, "baseline") == 0 ? UNIT_BASELINE : UNIT_APPLIED;
}

void
plan_status_build(const struct unit *units, size_t nunits, const struct history *h,
				  struct plan_status *out)
{
	size_t i = 0;
	int j = 0;
	size_t k;

	out->entries = xcalloc(nunits + (size_t) h->n + 1, sizeof(struct plan_entry));
	out->n = 0;
	out->highest_applied = 0;
	out->highest_recorded = 0;
	/* merge two lists sorted by version */
	while (i < nunits || j < h->n)
	{
		struct plan_entry *e = &out->entries[out->n++];

		if (j >= h->n || (i < nunits && units[i].version < h->rows[j].version))
			e->unit = &units[i++];
		else if (i >= nunits || h->rows[j].version < units[i].version)
			e->row = &h->rows[j++];
		else
		{
			e->unit = &units[i++];
			e->row = &h->rows[j++];
		}
		e->version = e->unit ? e->unit->version : e->row->version;
		e->name = e->unit ? e->unit->name : e->row->name;
		e->state = state_of(e->unit, e->row);
		if (e->row != NULL && e->version > out->highest_recorded)
			out->highest_recorded = e->version;
		/* a running row is not applied (yet, or ever: its runner may be gone) */
		if (e->row != NULL && e->state != UNIT_RUNNING && e->version > out->highest_applied)
			out->highest_applied = e->version;
	}
	for (k = 0; k < out->n; k++)
		if (out->entries[k].state == UNIT_PENDING &&
			out->entries[k].version < out->highest_recorded)
			out->entries[k].state = UNIT_OUT_OF_ORDER;
}

void
plan_status_free(struct plan_status *st)
{
	free(st->entries);
	st->entries = NULL;
	st->n = 0;
}

static void
why_add(struct buf *why, const char *what, const struct plan_entry *e)
{
	char vt[UNITNAME_VERSION_TEXT_SIZE];

	buf_printf(why, "%s%s %s %s", why->len ? "; " : "", what,
			   unitname_version_text(e->unit ? e->unit->file : NULL, e->version, vt), e->name);
}

/* NULL (a version unknown to the binary) is not a no-transaction unit. */
static bool
no_transaction(const struct unit *u)
{
	return u != NULL && !unit_def_transactional(u->def);
}

/* Refusals that apply to both directions: modified units, dead running rows. */
static void
check_integrity(const struct plan_status *st, bool *wait_for_running, struct buf *why)
{
	size_t i;

	for (i = 0; i < st->n; i++)
	{
		const struct plan_entry *e = &st->entries[i];

		if (e->state == UNIT_MODIFIED)
			why_add(why, "modified since applied:", e);
		else if (e->state == UNIT_RUNNING && !e->row->owner_alive)
			why_add(why, "left running by a runner that is gone:", e);
		else if (e->state == UNIT_RUNNING && wait_for_running != NULL)
			*wait_for_running = true;
		else if (e->state == UNIT_RUNNING)
			why_add(why, "still running in another runner:", e);
	}
}

int
plan_up(const struct plan_status *st, const struct up_options *o, const struct unit **out,
		size_t *n, bool *wait_for_running, struct buf *why)
{
	size_t i;

	*n = 0;
	*wait_for_running = false;
	check_integrity(st, wait_for_running, why);
	for (i = 0; i < st->n; i++)
	{
		const struct plan_entry *e = &st->entries[i];

		if (e->state != UNIT_PENDING && e->state != UNIT_OUT_OF_ORDER)
			continue;
		if (o->to > 0 && e->version > o->to)
			break;
		if (o->step > 0 && (long) *n >= o->step)
			break;
		if (e->state == UNIT_OUT_OF_ORDER && !o->out_of_order)
			why_add(why, "pending below the highest applied version (use --out-of-order):", e);
		if (o->single_transaction && no_transaction(e->unit))
			why_add(why, "no-transaction unit cannot run in --single-transaction:", e);
		out[(*n)++] = e->unit;
	}
	return why->len ? 6 : 0;
}

int
plan_down(const struct plan_status *st, const struct down_options *o, const struct plan_entry **out,
		  size_t *n, struct buf *why)
{
	size_t i;
	long limit = o->all || o->to >= 0 ? -1 : (o->step > 0 ? o->step : 1);

	*n = 0;
	check_integrity(st, NULL, why);
	for (i = st->n; i-- > 0;)
	{
		const struct plan_entry *e = &st->entries[i];

		if (e->row == NULL)
			continue;
		if (o->to >= 0 && e->version <= o->to)
			break;
		if (limit >= 0 && (long) *n >= limit)
			break;
		if (e->state == UNIT_UNKNOWN)
			why_add(why, "applied but unknown to this binary:", e);
		else if (e->unit != NULL && !unit_def_reversible(e->unit->def))
			why_add(why, "irreversible:", e);
		if (o->single_transaction && no_transaction(e->unit))
			why_add(why, "no-transaction unit cannot run in --single-transaction:", e);
		out[(*n)++] = e;
	}
	return why->len ? 6 : 0;
}

int
plan_redo(const struct plan_status *st, long step, const struct plan_entry **out, size_t *n,
		  struct buf *why)
{
	size_t i;

	*n = 0;
	check_integrity(st, NULL, why);
	for (i = st->n; i-- > 0 && (long) *n < step;)
	{
		const struct plan_entry *e = &st->entries[i];

		if (e->row == NULL)
			continue;
		if (e->state == UNIT_UNKNOWN)
			why_add(why, "applied but unknown to this binary:", e);
		else if (e->unit != NULL && !unit_def_reversible(e->unit->def))
			why_add(why, "irreversible:", e);
		if (no_transaction(e->unit))
			why_add(why, "no-transaction unit cannot be redone in one transaction:", e);
		out[(*n)++] = e;
	}
	return why->len ? 6 : 0;
}
