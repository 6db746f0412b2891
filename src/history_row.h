/*
 * history_row.h: one row of the history table, as read back (SPEC 3).
 */
#ifndef MIGRATE_HISTORY_ROW_H
#define MIGRATE_HISTORY_ROW_H

#include <stdbool.h>

struct history_row
{
	long long version;
	char *name; /* all strings owned by the row */
	char *checksum;
	char *state; /* "applied", "baseline" or "running" */
	char *applied_at; /* ISO 8601 text as the server printed it */
	char *applied_by;
	int duration_ms;
	char *schema_hash; /* NULL when not stored */
	char *owner; /* NULL unless running */
	bool owner_alive; /* running, and the owner still has a session */
};

struct history
{
	struct history_row *rows; /* owned; sorted by version */
	int n;
};

/* Frees every row and the array; accepts an empty history. */
void history_free(struct history *h);

#endif
