/*
 * test_conninfo.c: parsing, resolving and describing connection strings,
 * masking passwords in parse errors, classifying libpq's connection
 * failures and the backoff between attempts.  No server is needed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conninfo.h"
#include "tap.h"

static const char *const pg_vars[] = {"PGHOST",       "PGHOSTADDR", "PGPORT",    "PGDATABASE",
									  "PGUSER",       "PGPASSWORD", "PGSERVICE", "PGSERVICEFILE",
									  "PGSYSCONFDIR", "PGPASSFILE", NULL};

static void
clear_pg_env(void)
{
	int i;

	for (i = 0; pg_vars[i] != NULL; i++)
		unsetenv(pg_vars[i]);
	/* no ~/.pg_service.conf of the caller's */
	setenv("PGSYSCONFDIR", "/nonexistent", 1);
	setenv("PGSERVICEFILE", "/nonexistent/pg_service.conf", 1);
}

/* Parses url, which must be valid, and returns its description. */
static char *
describe(const char *url)
{
	struct conninfo ci;
	char *err = NULL;
	char *d;

	if (conninfo_parse(url, &ci, &err) != 0)
	{
		diag("unexpected parse error: %s", err);
		free(err);
		return NULL;
	}
	d = conninfo_describe(&ci, NULL);
	conninfo_free(&ci);
	return d;
}

/* The parse error for url, which must be invalid. */
static char *
parse_error(const char *url)
{
	struct conninfo ci;
	char *err = NULL;

	if (conninfo_parse(url, &ci, &err) == 0)
	{
		conninfo_free(&ci);
		return NULL;
	}
	return err;
}

static void
test_parse_and_describe(void)
{
	struct conninfo ci;
	char *err = NULL;
	char *d;

	clear_pg_env();
	ok(conninfo_parse(
		   "postgresql://u:p%40ss%3Aw%2Frd%3F%26%3D%25%20x@db.example:6432/red7?sslmode=require",
		   &ci, &err) == 0,
	   "a URI with a percent-encoded password parses");
	is(conninfo_get(&ci, "password"), "p@ss:w/rd?&=% x", "the password is decoded");
	is(conninfo_get(&ci, "sslmode"), "require", "query parameters are options");
	d = conninfo_describe(&ci, NULL);
	is(d, "host=db.example port=6432 dbname=red7 user=u",
	   "the description shows host, port, database and user");
	ok(strstr(d, "p@ss") == NULL, "the description never shows the password");
	free(d);
	d = conninfo_describe(&ci, "postgres");
	is(d, "host=db.example port=6432 dbname=postgres user=u", "another database can be described");
	free(d);
	conninfo_free(&ci);

	ok(conninfo_parse("host=a,b port=5432,5433 dbname=x user=y password='it\\'s \\\\q' "
					  "target_session_attrs=read-write",
					  &ci, &err) == 0,
	   "a key=value string with several hosts parses");
	is(conninfo_get(&ci, "password"), "it's \\q", "quoted key=value values are unescaped");
	is(conninfo_get(&ci, "target_session_attrs"), "read-write", "target_session_attrs is kept");
	conninfo_free(&ci);

	d = describe("host=a,b port=5432,5433 dbname=x user=y");
	is(d, "host=a,b port=5432,5433 dbname=x user=y", "several hosts are all described");
	free(d);
	d = describe("hostaddr=127.0.0.1 host=ep-test-pooler.example port=1 dbname=x user=y");
	is(d, "host=ep-test-pooler.example hostaddr=127.0.0.1 port=1 dbname=x user=y",
	   "hostaddr is described beside host");
	free(d);

	setenv("PGHOST", "envhost", 1);
	setenv("PGPORT", "7777", 1);
	setenv("PGDATABASE", "envdb", 1);
	setenv("PGUSER", "envuser", 1);
	d = describe("postgresql://");
	is(d, "host=envhost port=7777 dbname=envdb user=envuser",
	   "an empty URI takes the PG* variables");
	free(d);
	d = describe("postgresql:///other?port=1");
	is(d, "host=envhost port=1 dbname=other user=envuser", "the string beats the PG* variables");
	free(d);
	unsetenv("PGDATABASE");
	ok(conninfo_parse("host=h", &ci, &err) == 0, "a string without a database parses");
	is(conninfo_dbname(&ci), "envuser", "the database defaults to the user name, as in libpq");
	conninfo_free(&ci);
	clear_pg_env();
}

static void
test_service_file(void)
{
	char path[] = "/tmp/test_conninfo.XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	struct conninfo ci;
	char *err = NULL;
	char *d;

	if (f == NULL)
	{
		ok(0, "a temporary service file can be written");
		return;
	}
	fputs("[red7]\nhost=svchost\nport=5999\ndbname=svcdb\nuser=svcuser\npassword=svcsecret\n", f);
	fclose(f);
	clear_pg_env();
	setenv("PGSERVICEFILE", path, 1);
	setenv("PGDATABASE", "envdb", 1);
	d = describe("service=red7");
	is(d, "service=red7 host=svchost port=5999 dbname=svcdb user=svcuser",
	   "a service's settings are resolved from the service file");
	free(d);
	d = describe("service=red7 dbname=other");
	is(d, "service=red7 host=svchost port=5999 dbname=other user=svcuser",
	   "the string beats the service file");
	free(d);
	ok(conninfo_parse("service=red7", &ci, &err) == 0, "a service string parses");
	is(conninfo_effective(&ci, "password"), "svcsecret",
	   "the service's password is known, to be masked");
	is(conninfo_dbname(&ci), "svcdb", "the database comes from the service file before PGDATABASE");
	ok(getenv("PGSERVICE") == NULL, "resolving a service leaves PGSERVICE as it was");
	conninfo_free(&ci);
	setenv("PGSERVICE", "red7", 1);
	d = describe("port=1");
	is(d, "service=red7 host=svchost port=1 dbname=svcdb user=svcuser",
	   "PGSERVICE names a service too");
	free(d);
	unlink(path);
	clear_pg_env();
}

/* No 6-byte piece of secret may appear in text. */
static int
holds_piece_of(const char *text, const char *secret)
{
	size_t n = strlen(secret);
	size_t i;

	for (i = 0; i + 6 <= n; i++)
		if (memmem(text, strlen(text), secret + i, 6) != NULL)
			return 1;
	return n < 6 && strstr(text, secret) != NULL;
}

static void
test_parse_errors(void)
{
	char *e;

	e = parse_error("postgresql://u:hunter2%zzsecret@h/d");
	ok(e != NULL && !holds_piece_of(e, "hunter2%zzsecret"),
	   "a bad escape in the password is not echoed");
	ok(e != NULL && strstr(e, "invalid percent-encoded token") != NULL,
	   "libpq's complaint is kept");
	free(e);
	e = parse_error("postgresql://u:hunter2secret@h/d?nosuchoption=1");
	ok(e != NULL && !holds_piece_of(e, "hunter2secret"),
	   "an unknown URI option does not echo the password");
	ok(e != NULL && strstr(e, "(quoted parts hidden: the string may hold a password)") != NULL,
	   "the message says why its quoted parts are hidden");
	free(e);
	e = parse_error("postgresql://u:hunter2secret@[::1/d");
	ok(e != NULL && !holds_piece_of(e, "hunter2secret"), "a URI quoted whole is masked");
	free(e);
	e = parse_error("host=h password='hunter2 secret' bogus");
	ok(e != NULL && !holds_piece_of(e, "hunter2 secret"),
	   "a key=value error does not echo a quoted password");
	free(e);
	e = parse_error("host=h password=abc bogus=1");
	ok(e != NULL && strstr(e, "\"bogus\"") == NULL && strstr(e, "abc") == NULL,
	   "a short password masks every quoted token");
	free(e);
	e = parse_error("host=h password=my secret phrase");
	ok(e != NULL && strstr(e, "secret") == NULL && strstr(e, "phrase") == NULL,
	   "an unquoted password with spaces is not echoed piecewise");
	free(e);
	e = parse_error("postgresql://h/d?%70assword=hunter2secret&x");
	ok(e != NULL && !holds_piece_of(e, "hunter2secret"),
	   "a percent-encoded password keyword is found too");
	free(e);
	e = parse_error("host=h bogus=1");
	is(e, "invalid connection string: invalid connection option \"bogus\"",
	   "without a password the message is libpq's");
	free(e);
}

static void
test_classify(void)
{
	static const struct
	{
		const char *message;
		enum conninfo_failure want;
		const char *name;
	} cases[] = {
		{"connection to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the "
		 "server running on that host and accepting TCP/IP connections?",
		 CONNINFO_TRANSIENT, "refused is transient"},
		{"connection to server on socket \"/tmp/.s.PGSQL.5432\" failed: No such file or directory",
		 CONNINFO_TRANSIENT, "a missing socket is transient"},
		{"connection to server at \"10.1.1.1\", port 5432 failed: timeout expired",
		 CONNINFO_TRANSIENT, "a timeout is transient"},
		{"could not translate host name \"db.invalid\" to address: Name or service not known",
		 CONNINFO_TRANSIENT, "name resolution is transient, whatever the host is called"},
		{"could not translate host name \"ep-x.neon.tech\" to address: Temporary failure in name "
		 "resolution",
		 CONNINFO_TRANSIENT, "a temporary resolver failure is transient"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is "
		 "starting up",
		 CONNINFO_TRANSIENT, "57P03 starting up is transient"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  the database system is "
		 "not yet accepting connections\nDETAIL:  Consistent recovery state has not been yet "
		 "reached.",
		 CONNINFO_TRANSIENT, "recovery not yet consistent is transient"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  sorry, too many clients "
		 "already",
		 CONNINFO_TRANSIENT, "too many clients is transient"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: server closed the connection "
		 "unexpectedly\n\tThis probably means the server terminated abnormally",
		 CONNINFO_TRANSIENT, "a closed connection is transient"},
		{"connection to server at \"h\", port 5432 failed: session is read-only",
		 CONNINFO_TRANSIENT, "no writable server yet (a failover) is transient"},
		{"connection to server at \"h\", port 5432 failed: SSL SYSCALL error: EOF detected",
		 CONNINFO_TRANSIENT, "a dropped TLS handshake is transient"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  password authentication "
		 "failed for user \"u\"",
		 CONNINFO_PERMANENT, "a wrong password is permanent"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: fe_sendauth: no password "
		 "supplied",
		 CONNINFO_PERMANENT, "a missing password is permanent"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  no pg_hba.conf entry "
		 "for host \"127.0.0.1\", user \"u\", database \"d\", no encryption",
		 CONNINFO_PERMANENT, "no pg_hba.conf entry is permanent"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"nosuch\" "
		 "does not exist",
		 CONNINFO_PERMANENT, "a missing database is permanent"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  role \"nobody\" does "
		 "not exist",
		 CONNINFO_PERMANENT, "a missing role is permanent"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: server does not support SSL, "
		 "but SSL was required",
		 CONNINFO_PERMANENT, "SSL required from a server without SSL is permanent"},
		{"connection to server at \"h\", port 5432 failed: root certificate file "
		 "\"/root/.postgresql/root.crt\" does not exist",
		 CONNINFO_PERMANENT, "a missing root certificate is permanent"},
		{"invalid sslmode value: \"bogus\"", CONNINFO_PERMANENT, "an invalid setting is permanent"},
		{"definition of service \"red7\" not found", CONNINFO_PERMANENT,
		 "an unknown service is permanent"},
		{"connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \"old\" is not "
		 "currently accepting connections",
		 CONNINFO_PERMANENT, "a database refusing connections is permanent"},
		{"connection to server at \"a\", port 1 failed: Connection refused\n\tIs the server "
		 "running on that host and accepting TCP/IP connections?\nconnection to server at \"b\", "
		 "port 2 failed: FATAL:  password authentication failed for user \"u\"",
		 CONNINFO_PERMANENT, "with several hosts, one permanent reason decides"},
		{"ERROR:  Endpoint ID is not specified. Either please upgrade the postgres client library "
		 "(libpq) for SNI support or pass the endpoint ID (first part of the domain name) as a "
		 "parameter: '?options=endpoint%3D<endpoint-id>'.",
		 CONNINFO_PERMANENT, "Neon's missing endpoint ID is permanent"},
		{"something nobody has seen before", CONNINFO_TRANSIENT, "an unknown reason is retried"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ok(conninfo_classify_failure(cases[i].message) == cases[i].want, "%s", cases[i].name);
	ok(conninfo_classify_failure(NULL) == CONNINFO_TRANSIENT, "no message is transient");
}

static void
test_backoff(void)
{
	static const long base[] = {250, 500, 1000, 2000, 4000, 5000, 5000};
	int attempt;
	int in_range = 1;
	unsigned int r;

	for (attempt = 0; attempt < 7; attempt++)
	{
		long b = base[attempt];

		cmp_ok(conninfo_backoff_ms(attempt, 0), ==, b - b / 5,
			   "the shortest wait is a fifth under the base");
		cmp_ok(conninfo_backoff_ms(attempt, (unsigned int) (2 * (b / 5))), ==, b + b / 5,
			   "the longest wait is a fifth over the base");
		cmp_ok(conninfo_backoff_ms(attempt, (unsigned int) (b / 5)), ==, b,
			   "the middle is the base");
	}
	for (r = 0; r < 100000; r += 7)
	{
		long w = conninfo_backoff_ms(0, r);

		if (w < 200 || w > 300)
			in_range = 0;
	}
	ok(in_range, "every random value stays within the first wait's range");
	cmp_ok(conninfo_backoff_ms(40, 4294967295u), <=, 6000, "a huge attempt number stays capped");
}

static void
test_redact(void)
{
	char *s;

	s = conninfo_redact("user \"secretuser\" used secret twice: secret", "secret");
	is(s, "user \"********user\" used ******** twice: ********", "every occurrence is masked");
	free(s);
	s = conninfo_redact("no password here", "pw");
	is(s, "no password here", "a short secret is not searched for");
	free(s);
	s = conninfo_redact("text", NULL);
	is(s, "text", "no secret leaves the text alone");
	free(s);
}

int
main(void)
{
	test_parse_and_describe();
	test_service_file();
	test_parse_errors();
	test_classify();
	test_backoff();
	test_redact();
	return done_testing();
}
