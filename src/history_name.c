/*
 * history_name.c: splitting the configured history table name into the
 * schema and table names that the catalogs hold.
 */
#include "history_name.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Whether s[0..n) is one name as history_name_split accepts it. */
static bool
valid_name(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 63 ||
		!(s[0] == '_' || (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (i = 1; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$", s[i]) ==
				NULL ||
			s[i] == '\0')
			return false;
	return true;
}

static char *
dup_len(const char *s, size_t n)
{
	char *r = xmalloc(n + 1);

	memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

int
history_name_split(const char *configured, char **schema, char **table)
{
	const char *dot = configured != NULL ? strchr(configured, '.') : NULL;
	const char *name = dot != NULL ? dot + 1 : configured;

	*schema = NULL;
	*table = NULL;
	if (configured == NULL)
		return -1;
	if (dot != NULL && !valid_name(configured, (size_t) (dot - configured)))
		return -1;
	if (!valid_name(name, strlen(name)))
		return -1;
	*schema = dot != NULL ? dup_len(configured, (size_t) (dot - configured)) : xstrdup("public");
	*table = xstrdup(name);
	return 0;
}
