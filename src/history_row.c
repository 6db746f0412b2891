/*
 * history_row.c: releasing and searching history rows.
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

const struct history_row *
history_find(const struct history *h, long long version)
{
	int lo = 0;
	int hi = h->n - 1;

	while (lo <= hi)
	{
		int mid = lo + (hi - lo) / 2;

		if (h->rows[mid].version == version)
			return &h->rows[mid];
		if (h->rows[mid].version < version)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}
