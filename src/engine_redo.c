/*
 * engine_redo.c: redo, all or nothing.  The newest units' down steps and
 * then their up steps run in one transaction with their history rows, so
 * that redo either re-applies exactly the units it rolled back or changes
 * nothing; it is planned, and refused, before any step runs.
 */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "engine_internal.h"
#include "log.h"
#include "registry.h"
#include "report.h"

#define REDO_NOTXN_HINT                                                                 \
	"redo runs every down and up step in one transaction, which a no-transaction unit " \
	"cannot join: run \"migrate down --step N\" and then \"migrate up\" (or redo fewer units)"

static bool
any_no_transaction(const struct plan_entry *const *entries, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (entries[i]->unit != NULL && !unit_def_transactional(entries[i]->unit->def))
			return true;
	return false;
}

/* Runs the down steps newest first, then the up steps oldest first. */
static int
run_steps(struct engine *e, const struct plan_entry *const *entries, size_t n, long *down_ms,
		  long *up_ms)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++)
		if ((rc = engine_step_together(e, entries[i]->unit, false, &down_ms[i])) != 0)
			return rc;
	for (i = n; i-- > 0;)
		if ((rc = engine_step_together(e, entries[i]->unit, true, &up_ms[i])) != 0)
			return rc;
	return 0;
}

/* Rewrites the units' rows and the run's fingerprint, then commits. */
static int
record(struct engine *e, const struct plan_entry *const *entries, size_t n, const long *up_ms)
{
	char hex[65];
	struct buf sql;
	size_t i;
	int rc = engine_fingerprint_record(e, hex);

	if (rc != 0)
	{
		engine_rollback(e->db);
		return rc;
	}
	buf_init(&sql);
	for (i = n; i-- > 0;)
	{
		const struct unit *u = entries[i]->unit;

		history_sql_delete(&sql, &e->ht, u->version);
		history_sql_insert(&sql, e->db, &e->ht, u->version, u->name, u->checksum, "applied",
						   (int) up_ms[i], NULL, NULL);
	}
	engine_sql_store_hash(e, &sql, hex);
	rc = engine_commit_batch(e, &sql, "recording the redone units in the history table", NULL);
	buf_free(&sql);
	return rc;
}

static void
report_done(const struct plan_entry *const *entries, size_t n, const long *down_ms,
			const long *up_ms)
{
	size_t i;

	for (i = 0; i < n; i++)
	{
		report_unit("down", entries[i]->version, entries[i]->name, "ok", down_ms[i]);
		report_counts()->rolled_back++;
	}
	for (i = n; i-- > 0;)
	{
		report_unit("up", entries[i]->version, entries[i]->name, "ok", up_ms[i]);
		report_counts()->applied++;
	}
}

int
engine_redo(struct engine *e, long step)
{
	struct history h = {0};
	struct plan_status st = {0};
	const struct plan_entry **entries = NULL;
	long *down_ms = NULL;
	long *up_ms = NULL;
	struct buf why;
	size_t n = 0;
	int rc;

	buf_init(&why);
	rc = engine_begin_and_wait(e, &h, &st);
	if (rc == 0)
	{
		entries = xcalloc(st.n + 1, sizeof(*entries));
		rc = plan_redo(&st, step > 0 ? step : 1, entries, &n, &why);
		if (rc != 0)
		{
			engine_rollback(e->db);
			rc = engine_report_refusal(&st, "redo", why.data,
									   any_no_transaction(entries, n) ? REDO_NOTXN_HINT : NULL);
		}
	}
	if (rc == 0 && n == 0)
		engine_rollback(e->db);
	else if (rc == 0)
	{
		down_ms = xcalloc(n, sizeof(long));
		up_ms = xcalloc(n, sizeof(long));
		rc = run_steps(e, entries, n, down_ms, up_ms);
		if (rc == 0)
			rc = record(e, entries, n, up_ms);
		if (rc == 0)
			report_done(entries, n, down_ms, up_ms);
	}
	free(down_ms);
	free(up_ms);
	free(entries);
	buf_free(&why);
	plan_status_free(&st);
	history_free(&h);
	return rc;
}
