/*
 * schema_dump.c: a test driver for the schema fingerprint: like
 * `migrate schema`, plus the hash, timings and the error paths.
 *
 * Usage: schema_dump [-t] [-x | -a | -k] [-n N] CONNINFO [HISTORY_TABLE]
 *
 * Connects with PQconnectdb(CONNINFO), prints the canonical text that
 * schema_describe() returns, then a last line "fingerprint <sha256 hex>".
 * HISTORY_TABLE defaults to public.schema_migrations.
 *   -t    print the time schema_describe() took to stderr, in ms
 *   -x    call it inside BEGIN ... ROLLBACK, and fail unless the
 *         transaction is still open and usable afterwards
 *   -a    call it inside a transaction that an error has aborted, where
 *         it must fail and say why on one line
 *   -k    call it after the server has ended the session (a lost
 *         connection), where it must fail and say why on one line
 *   -n N  call it N times (the last text is printed; -t prints each time)
 *
 * Exit status: 0, 1 when the description fails, 2 on bad usage, 5 when
 * the connection fails.  Built by tests/t500-schema-fingerprint.t:
 *   cc -std=c11 -I src -I pgc -I $(pg_config --includedir) \
 *      tests/schema/schema_dump.c build/libmigrate.a \
 *      -lecpg -lpgtypes -lpq -lyaml -lcrypto
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "buf.h"
#include "schema.h"

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* Runs one statement that returns no rows; returns 0 or -1 (reported). */
static int
run_command(PGconn *conn, const char *sql)
{
	PGresult *res = PQexec(conn, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		fprintf(stderr, "schema_dump: %s failed: %s", sql, PQerrorMessage(conn));
	PQclear(res);
	return ok ? 0 : -1;
}

/* Describes the schema `times` times; the last text is left in *out. */
static int
describe(PGconn *conn, const char *history, int times, int timing, struct buf *out)
{
	for (int i = 0; i < times; i++)
	{
		char *err = NULL;
		char sqlstate[6];
		double t0 = now_ms();

		buf_reset(out);
		if (schema_describe(conn, history, out, &err, sqlstate) != 0)
		{
			fprintf(stderr, "schema_dump: %s\n", err);
			free(err);
			return -1;
		}
		if (timing)
			fprintf(stderr, "schema_describe: %.1f ms, %zu bytes\n", now_ms() - t0, out->len);
	}
	return 0;
}

/* For -a: opens a transaction and makes it fail. */
static int
abort_transaction(PGconn *conn)
{
	PGresult *res;

	if (run_command(conn, "BEGIN") != 0)
		return -1;
	res = PQexec(conn, "SELECT 1 / 0");
	PQclear(res);
	return PQtransactionStatus(conn) == PQTRANS_INERROR ? 0 : -1;
}

/* For -k: has the server end this session. */
static int
lose_connection(PGconn *conn)
{
	PGresult *res;

	res = PQexec(conn, "SELECT pg_terminate_backend(pg_backend_pid())");
	PQclear(res);
	return 0;
}

/* After -x: the caller's transaction must still be open and usable. */
static int
check_transaction(PGconn *conn)
{
	if (PQtransactionStatus(conn) != PQTRANS_INTRANS)
	{
		fprintf(stderr, "schema_dump: the transaction is no longer open\n");
		return -1;
	}
	return run_command(conn, "ROLLBACK");
}

static int
usage(void)
{
	fputs("usage: schema_dump [-t] [-x | -a | -k] [-n N] CONNINFO "
		  "[HISTORY_TABLE]\n",
		  stderr);
	return 2;
}

int
main(int argc, char **argv)
{
	int timing = 0;
	int in_tx = 0;
	int aborted = 0;
	int lost = 0;
	int times = 1;
	int c;
	int rc = 0;
	PGconn *conn;
	struct buf text;
	char hex[65];

	while ((c = getopt(argc, argv, "txakn:")) != -1)
	{
		if (c == 't')
			timing = 1;
		else if (c == 'x')
			in_tx = 1;
		else if (c == 'a')
			aborted = 1;
		else if (c == 'k')
			lost = 1;
		else if (c == 'n' && (times = atoi(optarg)) > 0)
			continue;
		else
			return usage();
	}
	if (optind >= argc || argc - optind > 2 || in_tx + aborted + lost > 1)
		return usage();
	conn = PQconnectdb(argv[optind]);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "schema_dump: %s", PQerrorMessage(conn));
		PQfinish(conn);
		return 5;
	}
	buf_init(&text);
	if ((in_tx && run_command(conn, "BEGIN") != 0) || (aborted && abort_transaction(conn) != 0) ||
		(lost && lose_connection(conn) != 0) ||
		describe(conn, argc - optind == 2 ? argv[optind + 1] : "public.schema_migrations", times,
				 timing, &text) != 0 ||
		(in_tx && check_transaction(conn) != 0))
		rc = 1;
	else
	{
		schema_hash_hex(text.data, text.len, hex);
		fwrite(text.data, 1, text.len, stdout);
		printf("fingerprint %s\n", hex);
		if (fflush(stdout) != 0 || ferror(stdout))
			rc = 1;
	}
	buf_free(&text);
	PQfinish(conn);
	return rc;
}
