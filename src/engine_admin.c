/*
 * engine_admin.c: baseline (adopting a database built by hand) and repair
 * (accepting edited units, clearing rows of runners that died), each one
 * transaction under the migration lock, like every other writer.
 */
#include "engine_admin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "engine_internal.h"
#include "exitcode.h"
#include "log.h"
#include "registry.h"
#include "report.h"
#include "unitname.h"

int
engine_baseline(struct engine *e, long long v, int *recorded)
{
	struct history h = {0};
	struct buf sql;
	char hex[65];
	size_t n = 0;
	size_t i;
	int rc;

	*recorded = 0;
	rc = engine_begin_locked(e, &h);
	if (rc != 0)
		return rc;
	if (h.n > 0)
	{
		char msg[256];

		engine_rollback(e->db);
		snprintf(msg, sizeof(msg),
				 "refusing to baseline: the history table %s already has %d row%s (highest version "
				 "%lld)",
				 e->ht.plain, h.n, h.n == 1 ? "" : "s", h.rows[h.n - 1].version);
		history_free(&h);
		report_error(EXIT_INTEGRITY, msg, NULL, NULL, NULL, 0);
		log_hint("baseline only adopts a database that has no history; see \"migrate status\"");
		return EXIT_INTEGRITY;
	}
	history_free(&h);
	while (n < registry_count && registry_units[n].version <= v)
		n++;
	if (n == 0)
	{
		engine_rollback(e->db);
		report_notice("no unit has a version at or below %lld: nothing recorded", v);
		return 0;
	}
	rc = engine_fingerprint(e, hex, NULL);
	if (rc != 0)
	{
		engine_rollback(e->db);
		return rc;
	}
	buf_init(&sql);
	for (i = 0; i < n; i++)
		history_sql_insert(&sql, e->db, &e->ht, registry_units[i].version, registry_units[i].name,
						   registry_units[i].checksum, "baseline", 0, i == n - 1 ? hex : NULL,
						   NULL);
	rc = engine_commit_batch(e, &sql, "recording the baseline", NULL);
	buf_free(&sql);
	if (rc != 0)
		return rc;
	for (i = 0; i < n; i++)
		report_unit("baseline", registry_units[i].version, registry_units[i].name, "ok", -1);
	*recorded = (int) n;
	return 0;
}

/* Appends the change one entry needs to sql; returns whether it needs one. */
static bool
repair_entry(struct engine *e, const struct plan_entry *pe, struct buf *sql)
{
	char vt[UNITNAME_VERSION_TEXT_SIZE];

	if (pe->state == UNIT_MODIFIED)
	{
		char *q = db_quote_literal(e->db, pe->unit->checksum);

		buf_printf(sql, "UPDATE %s SET checksum = %s WHERE version = %lld;\n", e->ht.qualified, q,
				   pe->version);
		free(q);
		return true;
	}
	if (pe->state == UNIT_RUNNING && !pe->row->owner_alive)
	{
		history_sql_delete(sql, &e->ht, pe->version);
		return true;
	}
	if (pe->state == UNIT_RUNNING)
		report_notice("left alone: %s %s is still running in %s",
					  unitname_version_text(pe->unit ? pe->unit->file : NULL, pe->version, vt),
					  pe->name, pe->row->owner ? pe->row->owner : "another runner");
	else if (pe->state == UNIT_UNKNOWN)
		report_notice("left alone: version %lld (%s) is applied but unknown to this binary",
					  pe->version, pe->name);
	return false;
}

int
engine_repair(struct engine *e, int *repaired)
{
	struct history h = {0};
	struct plan_status st = {0};
	struct buf sql;
	bool *changed;
	size_t i;
	int n = 0;
	int rc;

	*repaired = 0;
	rc = engine_begin_locked(e, &h);
	if (rc != 0)
		return rc;
	plan_status_build(registry_units, registry_count, &h, &st);
	changed = xcalloc(st.n + 1, sizeof(bool));
	buf_init(&sql);
	for (i = 0; i < st.n; i++)
		if ((changed[i] = repair_entry(e, &st.entries[i], &sql)))
			n++;
	if (n == 0)
		engine_rollback(e->db);
	else
		rc = engine_commit_batch(e, &sql, "repairing the history table", NULL);
	for (i = 0; rc == 0 && i < st.n; i++)
		if (changed[i])
			report_unit("repair", st.entries[i].version, st.entries[i].name,
						st.entries[i].state == UNIT_MODIFIED
							? "checksum updated"
							: "running row deleted (its runner is gone)",
						-1);
	if (rc == 0)
		*repaired = n;
	buf_free(&sql);
	free(changed);
	plan_status_free(&st);
	history_free(&h);
	return rc;
}
