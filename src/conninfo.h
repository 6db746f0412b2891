/*
 * conninfo.h: connection strings as psql accepts them (URI or key=value),
 * parsed by libpq's PQconninfoParse and resolved the way libpq resolves
 * them (the string, then a service file, then the PG* variables), and the
 * pure parts of connecting: describing a target without its password,
 * telling failures that can pass from those that cannot, and the backoff
 * between attempts.  Nothing here opens a connection.
 */
#ifndef MIGRATE_CONNINFO_H
#define MIGRATE_CONNINFO_H

#include <stdbool.h>
#include <libpq-fe.h>

struct conninfo
{
	PQconninfoOption *options; /* owned; what the string itself says */
	PQconninfoOption *defaults; /* owned; service file, PG* variables and
								 * libpq's built-in defaults, or NULL */
};

/* How a failed connection attempt is treated. */
enum conninfo_failure
{
	CONNINFO_TRANSIENT, /* refused, timeout, name resolution, starting
								 * up...: worth another attempt */
	CONNINFO_PERMANENT /* authentication, missing database, SSL
								 * required, invalid settings: give up */
};

/*
 * Parses url and resolves its defaults (a service named in the string or
 * in PGSERVICE, then the PG* variables).  Returns 0, or -1 with *err set
 * to libpq's complaint with anything that may be the password masked
 * (caller frees *err); *ci is then empty.  Release with conninfo_free.
 */
int conninfo_parse(const char *url, struct conninfo *ci, char **err)
	__attribute__((warn_unused_result));

/* The value the string itself gives for keyword, or NULL (also for ""). */
const char *conninfo_get(const struct conninfo *ci, const char *keyword);

/*
 * The value libpq would use for keyword: the string's, else the service
 * file's, else the PG* variable's, else libpq's default; NULL when none.
 */
const char *conninfo_effective(const struct conninfo *ci, const char *keyword);

/*
 * The database the string connects to: its dbname as libpq resolves it,
 * else the user name (libpq's rule).  NULL only when neither is known.
 */
const char *conninfo_dbname(const struct conninfo *ci);

/*
 * "host=H port=P dbname=D user=U" for messages, as libpq would resolve
 * them ("(default)" where libpq picks at connect time), with
 * "service=S" in front when a service is used, and dbname instead of the
 * string's database when it is not NULL.  Never the password.  Caller
 * frees.
 */
char *conninfo_describe(const struct conninfo *ci, const char *dbname);

/* True when a host is a Neon pooled endpoint ("-pooler." in its name). */
bool conninfo_is_pooler(const struct conninfo *ci);

/*
 * Classifies libpq's message for a failed connection attempt (all of it:
 * with several hosts, one line or more per host).  A failure is
 * permanent when any host gives a reason that another attempt cannot
 * mend; anything not recognised is transient, since retries are bounded.
 */
enum conninfo_failure conninfo_classify_failure(const char *libpq_message);

/*
 * The wait before retry number attempt (0 for the first retry): 250 ms
 * doubling up to 5 s, moved by up to a fifth either way; random picks the
 * point in that range (any value; taken modulo the range's width).
 */
long conninfo_backoff_ms(int attempt, unsigned int random);

/*
 * A copy of text with every occurrence of secret replaced by "********".
 * A NULL or short (< 4 bytes) secret is not searched for: masking a
 * two-letter password would mangle the rest of the text.  Caller frees.
 */
char *conninfo_redact(const char *text, const char *secret);

/* Frees what ci owns and empties it; accepts NULL. */
void conninfo_free(struct conninfo *ci);

#endif
