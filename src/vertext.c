/*
 * vertext.c: a version's text from its unit's file name, so that output
 * writes "000118" where the file does, and never pads to a width of its
 * own choosing.
 */
#include "vertext.h"

#include <string.h>

#include "registry.h"
#include "unitname.h"

/* The binary's unit with that version, or NULL (registry_units is sorted). */
static const struct unit *
find_unit(long long version)
{
	size_t lo = 0;
	size_t hi = registry_count;

	while (lo < hi)
	{
		size_t mid = lo + (hi - lo) / 2;

		if (registry_units[mid].version == version)
			return &registry_units[mid];
		if (registry_units[mid].version < version)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
vertext(long long version, char buf[VERTEXT_SIZE])
{
	const struct unit *u = find_unit(version);

	return unitname_version_text(u != NULL ? u->file : NULL, version, buf);
}

int
vertext_width(void)
{
	static int width = -1;
	char buf[VERTEXT_SIZE];
	size_t i;

	if (width >= 0)
		return width;
	width = 0;
	for (i = 0; i < registry_count; i++)
	{
		int n = (int) strlen(
			unitname_version_text(registry_units[i].file, registry_units[i].version, buf));

		if (n > width)
			width = n;
	}
	return width;
}
