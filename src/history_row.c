/*
 * history_row.c: releasing history rows.
 */
#include "history_row.h"

#include <stdlib.h>

void
history_free(struct history *h)
{
	int i;

	for (i = 0; i < h->n; i++)
	{
		struct history_row *r = &h->rows[i];

		free(r->name);
		free(r->checksum);
		free(r->state);
		free(r->applied_at);
		free(r->applied_by);
		free(r->schema_hash);
		free(r->owner);
	}
	free(h->rows);
	h->rows = NULL;
	h->n = 0;
}
