/*
 * conninfo.c: parse and describe connection strings with libpq.
 */
#include "conninfo.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"

int
conninfo_parse(const char *url, struct conninfo *ci, char **err)
{
	char	   *pqerr = NULL;

	ci->options = PQconninfoParse(url, &pqerr);
	if (ci->options != NULL)
		return 0;
	/*
	 * libpq quotes the offending token, which may be part of a password:
	 * repeat its words only when the string cannot hold one.
	 */
	if (pqerr != NULL && strchr(url, '@') == NULL && strstr(url, "password") == NULL)
	{
		struct buf	b;

		buf_init(&b);
		buf_printf(&b, "invalid connection string: %s", pqerr);
		while (b.len > 0 && b.data[b.len - 1] == '\n')
			b.data[--b.len] = '\0';
		*err = buf_detach(&b);
		buf_free(&b);
	}
	else
		*err = xstrdup("invalid connection string (not shown: it may hold a password)");
	PQfreemem(pqerr);
	return -1;
}

const char *
conninfo_get(const struct conninfo *ci, const char *keyword)
{
	const PQconninfoOption *o;

	for (o = ci->options; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, keyword) == 0)
			return o->val != NULL && o->val[0] != '\0' ? o->val : NULL;
	return NULL;
}

static const char *
value_or_env(const struct conninfo *ci, const char *keyword, const char *envvar)
{
	const char *v = conninfo_get(ci, keyword);

	if (v == NULL)
		v = getenv(envvar);
	return v != NULL && v[0] != '\0' ? v : "(default)";
}

char *
conninfo_describe(const struct conninfo *ci)
{
	struct buf	b;
	char	   *s;

	buf_init(&b);
	buf_printf(&b, "host=%s port=%s dbname=%s user=%s",
			   value_or_env(ci, "host", "PGHOST"),
			   value_or_env(ci, "port", "PGPORT"),
			   value_or_env(ci, "dbname", "PGDATABASE"),
			   value_or_env(ci, "user", "PGUSER"));
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

bool
conninfo_is_pooler(const struct conninfo *ci)
{
	const char *host = conninfo_get(ci, "host");

	if (host == NULL)
		host = getenv("PGHOST");
	return host != NULL && strstr(host, "-pooler.") != NULL;
}

void
conninfo_free(struct conninfo *ci)
{
	if (ci == NULL)
		return;
	PQconninfoFree(ci->options);
	ci->options = NULL;
}
