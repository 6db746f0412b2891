/*
 * conninfo.c: parse, resolve and describe connection strings with libpq,
 * classify connection failures and space out the retries.
 *
 * Resolution follows libpq's order: a keyword the string gives wins, then
 * the service file (the string's service, else PGSERVICE), then the PG*
 * variable, then libpq's built-in default.  PQconndefaults() applies the
 * last three when PGSERVICE names the string's service for the call.
 */
#include "conninfo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MASK "********"

/* ------------------------------------------------------------ redaction */

char *
conninfo_redact(const char *text, const char *secret)
{
	struct buf b;
	size_t n = secret != NULL ? strlen(secret) : 0;
	const char *p = text != NULL ? text : "";
	const char *hit;
	char *s;

	buf_init(&b);
	if (n < 4)
	{
		buf_append(&b, p);
		s = buf_detach(&b);
		buf_free(&b);
		return s;
	}
	while ((hit = strstr(p, secret)) != NULL)
	{
		buf_append_len(&b, p, (size_t) (hit - p));
		buf_append(&b, MASK);
		p = hit + n;
	}
	buf_append(&b, p);
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

/* True when s[0..n-1] is the name of a libpq connection keyword. */
static bool
is_keyword(const char *s, size_t n)
{
	PQconninfoOption *all = PQconndefaults();
	const PQconninfoOption *o;
	bool found = false;

	for (o = all; o != NULL && o->keyword != NULL && !found; o++)
		found = strlen(o->keyword) == n && strncmp(o->keyword, s, n) == 0;
	PQconninfoFree(all);
	return found;
}

/*
 * Replaces the text between every pair of double quotes with the mask,
 * except libpq keywords and single characters when keep_keywords.  *masked tells whether any
 * was replaced (may be NULL).
 */
static char *
mask_quoted(const char *text, bool keep_keywords, bool *masked)
{
	struct buf b;
	const char *p = text;
	char *s;

	if (masked != NULL)
		*masked = false;
	buf_init(&b);
	while (*p != '\0')
	{
		const char *open = strchr(p, '"');
		const char *close = open != NULL ? strchr(open + 1, '"') : NULL;

		if (close == NULL)
		{
			buf_append(&b, p);
			break;
		}
		/* libpq's own one-character quotes ("=", "]", ":") stay too */
		if (keep_keywords &&
			(close - open - 1 <= 1 || is_keyword(open + 1, (size_t) (close - open - 1))))
			buf_append_len(&b, p, (size_t) (close - p) + 1);
		else
		{
			buf_append_len(&b, p, (size_t) (open - p) + 1);
			buf_append(&b, MASK "\"");
			if (masked != NULL)
				*masked = true;
		}
		p = close + 1;
	}
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s[0..n-1], leaving malformed escapes as they are. */
static char *
percent_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	size_t i;
	size_t j = 0;

	for (i = 0; i < n; i++)
	{
		if (s[i] == '%' && i + 2 < n && hex_value((unsigned char) s[i + 1]) >= 0 &&
			hex_value((unsigned char) s[i + 2]) >= 0)
		{
			out[j++] = (char) (hex_value((unsigned char) s[i + 1]) * 16 +
							   hex_value((unsigned char) s[i + 2]));
			i += 2;
		}
		else
			out[j++] = s[i];
	}
	out[j] = '\0';
	return out;
}

struct secrets
{
	char *s[16];
	int n;
};

static void
secrets_add(struct secrets *sec, const char *s, size_t n)
{
	if (n == 0 || sec->n + 2 > (int) (sizeof(sec->s) / sizeof(sec->s[0])))
		return;
	sec->s[sec->n] = xmalloc(n + 1);
	memcpy(sec->s[sec->n], s, n);
	sec->s[sec->n][n] = '\0';
	sec->n++;
	sec->s[sec->n++] = percent_decode(s, n);
}

/* The password of a URI's user information, if it has one. */
static void
secrets_from_userinfo(struct secrets *sec, const char *url)
{
	const char *p = strstr(url, "://");
	const char *start;
	const char *colon;

	if (p == NULL)
		return;
	start = p + 3;
	for (p = start; *p != '\0' && *p != '@' && *p != '/'; p++)
		;
	if (*p != '@')
		return;
	colon = memchr(start, ':', (size_t) (p - start));
	if (colon != NULL)
		secrets_add(sec, colon + 1, (size_t) (p - colon - 1));
}

/* Every value written after "password=" (quoted or not, in any case). */
static void
secrets_from_keywords(struct secrets *sec, const char *url)
{
	const char *p = url;

	while ((p = strcasestr(p, "password")) != NULL)
	{
		const char *v = p + 8;
		const char *end;

		p = v;
		while (*v == ' ')
			v++;
		if (*v++ != '=')
			continue;
		while (*v == ' ')
			v++;
		if (*v == '\'')
		{
			v++;
			for (end = v; *end != '\0' && *end != '\''; end++)
				if (*end == '\\' && end[1] != '\0')
					end++;
		}
		else
			end = v + strcspn(v, " &");
		secrets_add(sec, v, (size_t) (end - v));
	}
}

/*
 * libpq's parse errors quote the offending token, or the whole URI, which
 * may hold the password (or a piece of one written without quotes): when
 * the string may hold a password, every quoted token but a keyword's name
 * is masked, and whatever looks like the password is masked wherever it
 * appears.
 */
static char *
describe_parse_error(const char *url, const char *pqerr)
{
	char *decoded = percent_decode(url, strlen(url));
	struct secrets sec = {{0}, 0};
	struct buf b;
	char *msg = xstrdup(pqerr != NULL ? pqerr : "out of memory");
	bool may_hold = strchr(url, '@') != NULL || strcasestr(decoded, "password") != NULL;
	bool masked = false;
	int i;

	secrets_from_userinfo(&sec, url);
	secrets_from_keywords(&sec, url);
	secrets_from_keywords(&sec, decoded);
	for (i = 0; i < sec.n; i++)
	{
		char *m = conninfo_redact(msg, sec.s[i]);

		free(msg);
		msg = m;
		free(sec.s[i]);
	}
	if (may_hold)
	{
		char *m = mask_quoted(msg, true, &masked);

		free(msg);
		msg = m;
	}
	buf_init(&b);
	buf_printf(&b, "invalid connection string: %s", msg);
	while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == ' '))
		b.data[--b.len] = '\0';
	if (masked)
		buf_append(&b, " (quoted parts hidden: the string may hold a password)");
	free(msg);
	free(decoded);
	msg = buf_detach(&b);
	buf_free(&b);
	return msg;
}

/* ---------------------------------------------------- parse and resolve */

static const char *
option_value(const PQconninfoOption *options, const char *keyword)
{
	const PQconninfoOption *o;

	for (o = options; o != NULL && o->keyword != NULL; o++)
		if (strcmp(o->keyword, keyword) == 0)
			return o->val != NULL && o->val[0] != '\0' ? o->val : NULL;
	return NULL;
}

/* PQconndefaults() with PGSERVICE naming the string's service, if any. */
static PQconninfoOption *
resolve_defaults(const PQconninfoOption *options)
{
	const char *service = option_value(options, "service");
	char *saved = NULL;
	PQconninfoOption *defaults;

	if (service != NULL)
	{
		saved = xstrdup(getenv("PGSERVICE"));
		setenv("PGSERVICE", service, 1);
	}
	defaults = PQconndefaults();
	if (service != NULL)
	{
		if (saved != NULL)
			setenv("PGSERVICE", saved, 1);
		else
			unsetenv("PGSERVICE");
		free(saved);
	}
	return defaults;
}

int
conninfo_parse(const char *url, struct conninfo *ci, char **err)
{
	char *pqerr = NULL;

	memset(ci, 0, sizeof(*ci));
	ci->options = PQconninfoParse(url, &pqerr);
	if (ci->options == NULL)
	{
		*err = describe_parse_error(url, pqerr);
		PQfreemem(pqerr);
		return -1;
	}
	ci->defaults = resolve_defaults(ci->options);
	return 0;
}

const char *
conninfo_get(const struct conninfo *ci, const char *keyword)
{
	return option_value(ci->options, keyword);
}

const char *
conninfo_effective(const struct conninfo *ci, const char *keyword)
{
	const char *v = option_value(ci->options, keyword);

	return v != NULL ? v : option_value(ci->defaults, keyword);
}

const char *
conninfo_dbname(const struct conninfo *ci)
{
	const char *v = conninfo_effective(ci, "dbname");

	return v != NULL ? v : conninfo_effective(ci, "user");
}

static const char *
or_default(const char *v)
{
	return v != NULL ? v : "(default)";
}

char *
conninfo_describe(const struct conninfo *ci, const char *dbname)
{
	struct buf b;
	const char *service = conninfo_effective(ci, "service");
	const char *host = conninfo_effective(ci, "host");
	const char *hostaddr = conninfo_effective(ci, "hostaddr");
	char *s;

	buf_init(&b);
	if (service != NULL)
		buf_printf(&b, "service=%s ", service);
	buf_printf(&b, "host=%s ", or_default(host != NULL ? host : hostaddr));
	if (host != NULL && hostaddr != NULL)
		buf_printf(&b, "hostaddr=%s ", hostaddr);
	buf_printf(&b, "port=%s dbname=%s user=%s", or_default(conninfo_effective(ci, "port")),
			   or_default(dbname != NULL ? dbname : conninfo_dbname(ci)),
			   or_default(conninfo_effective(ci, "user")));
	s = buf_detach(&b);
	buf_free(&b);
	return s;
}

bool
conninfo_is_pooler(const struct conninfo *ci)
{
	const char *host = conninfo_effective(ci, "host");

	return host != NULL && strstr(host, "-pooler.") != NULL;
}

void
conninfo_free(struct conninfo *ci)
{
	if (ci == NULL)
		return;
	PQconninfoFree(ci->options);
	PQconninfoFree(ci->defaults);
	ci->options = NULL;
	ci->defaults = NULL;
}

/* ------------------------------------------------------- failures, waits */

/*
 * Reasons another attempt cannot mend, as libpq and the server word them
 * (PostgreSQL 12 to 17, and Neon's proxy).  The server's own messages are
 * in its lc_messages language; an unrecognised translation is retried,
 * which only costs the bounded retries.
 */
static const char *const permanent_reasons[] = {
	"authentication failed", /* password, ident, peer, LDAP, cert... */
	"no pg_hba.conf entry",
	"pg_hba.conf rejects connection",
	"no password supplied",
	"is not permitted to log in",
	"permission denied for database",
	"is not currently accepting connections",
	"server does not support SSL, but SSL was required",
	"server does not support GSSAPI",
	"certificate", /* missing, unreadable or unverifiable */
	"private key file",
	"channel binding",
	"SCRAM",
	"invalid", /* invalid sslmode value, port number... */
	"unsupported",
	"could not match", /* hosts and ports of different counts */
	"definition of service", /* service not found in the service file */
	"service file",
	"Endpoint ID", /* Neon: the endpoint cannot be told */
	"endpoint has been disabled",
	"password is too long",
};

/* role "x" does not exist, database "x" does not exist */
static bool
names_missing_object(const char *m)
{
	const char *p = m;

	while ((p = strstr(p, "does not exist")) != NULL)
	{
		const char *line = p;

		while (line > m && line[-1] != '\n')
			line--;
		if (memmem(line, (size_t) (p - line), "database \"", 10) != NULL ||
			memmem(line, (size_t) (p - line), "role \"", 6) != NULL)
			return true;
		p++;
	}
	return false;
}

/*
 * Host, database and user names are quoted in libpq's messages; matching
 * the rest only keeps a host such as "db.invalid" from deciding.
 */
enum conninfo_failure
conninfo_classify_failure(const char *libpq_message)
{
	enum conninfo_failure result = CONNINFO_TRANSIENT;
	char *unquoted;
	size_t i;

	if (libpq_message == NULL)
		return CONNINFO_TRANSIENT;
	if (names_missing_object(libpq_message))
		return CONNINFO_PERMANENT;
	unquoted = mask_quoted(libpq_message, false, NULL);
	for (i = 0; i < sizeof(permanent_reasons) / sizeof(permanent_reasons[0]); i++)
		if (strcasestr(unquoted, permanent_reasons[i]) != NULL)
			result = CONNINFO_PERMANENT;
	free(unquoted);
	return result;
}

long
conninfo_backoff_ms(int attempt, unsigned int random)
{
	long ms = 250;
	long jitter;

	while (attempt-- > 0 && ms < 5000)
		ms *= 2;
	if (ms > 5000)
		ms = 5000;
	jitter = ms / 5;
	return ms - jitter + (long) (random % (unsigned int) (2 * jitter + 1));
}
