/*
 * vertext.c: a version's text from its unit's file name, so that output
 * writes "000118" where the file does, and never pads to a width of its
 * own choosing.
 */
#include "vertext.h"

#include <stdio.h>
#include <string.h>

#include "registry.h"

const char *
vertext_from_file(const char *file, long long version, char buf[VERTEXT_SIZE])
{
	const char *base = file != NULL ? strrchr(file, '/') : NULL;
	size_t n;
	long long v = 0;
	size_t i;

	base = base != NULL ? base + 1 : file;
	n = base != NULL ? strspn(base, "0123456789") : 0;
	for (i = 0; i < n && i < VERTEXT_SIZE - 1; i++)
		v = v * 10 + (base[i] - '0');
	if (n == 0 || n >= VERTEXT_SIZE || v != version)
		snprintf(buf, VERTEXT_SIZE, "%lld", version);
	else
	{
		memcpy(buf, base, n);
		buf[n] = '\0';
	}
	return buf;
}

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

	return vertext_from_file(u != NULL ? u->file : NULL, version, buf);
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
		int n =
			(int) strlen(vertext_from_file(registry_units[i].file, registry_units[i].version, buf));

		if (n > width)
			width = n;
	}
	return width;
}
