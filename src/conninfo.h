/*
 * conninfo.h: connection strings as psql accepts them (URI or key=value),
 * parsed by libpq's PQconninfoParse, and described without the password.
 */
#ifndef MIGRATE_CONNINFO_H
#define MIGRATE_CONNINFO_H

#include <stdbool.h>
#include <libpq-fe.h>

struct conninfo
{
	PQconninfoOption *options;	/* owned; from PQconninfoParse */
};

/*
 * Parses url.  Returns 0, or -1 with *err set to a message that never
 * contains the password (caller frees *err).
 */
int			conninfo_parse(const char *url, struct conninfo *ci, char **err)
			__attribute__((warn_unused_result));

/* The value given for keyword, or NULL. */
const char *conninfo_get(const struct conninfo *ci, const char *keyword);

/*
 * "host=H port=P dbname=D user=U" for messages, with what the string did
 * not give taken from the PG* environment or shown as "(default)".  Never
 * the password.  Caller frees.
 */
char	   *conninfo_describe(const struct conninfo *ci);

/* True when a host is a Neon pooled endpoint ("-pooler." in its name). */
bool		conninfo_is_pooler(const struct conninfo *ci);

void		conninfo_free(struct conninfo *ci);

#endif
