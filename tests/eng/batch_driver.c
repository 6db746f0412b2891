/*
 * batch_driver.c: calls db_batch (pgc/db.pgc) on a real server for
 * tests/t603-engine-db-batch.t.
 *
 *   batch_driver CONNINFO MAX N   sends N statements "SELECT i" in one
 *                                 batch, collecting at most MAX results
 *
 * Prints "rc=R n=K last=V" (V: the last collected result's value) and the
 * error message on a second line when there is one.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "db.h"

int
main(int argc, char **argv)
{
	struct db_options o = {0};
	struct db_error err = {0};
	struct db *db = NULL;
	PGresult **res;
	struct buf sql;
	int max;
	int count;
	int n = 0;
	int rc;
	int i;

	if (argc != 4)
	{
		fprintf(stderr, "usage: batch_driver CONNINFO MAX N\n");
		return 2;
	}
	max = atoi(argv[2]);
	count = atoi(argv[3]);
	if (db_connect(argv[1], &o, &db, &err) != 0)
	{
		fprintf(stderr, "batch_driver: %s\n", err.message);
		return 2;
	}
	buf_init(&sql);
	for (i = 1; i <= count; i++)
		buf_printf(&sql, "SELECT %d;", i);
	res = calloc((size_t) max + 1, sizeof(*res));
	rc = db_batch(db, sql.data, res, max, &n, &err);
	printf("rc=%d n=%d last=%s\n", rc, n, n > 0 ? PQgetvalue(res[n - 1], 0, 0) : "-");
	if (err.message != NULL)
		printf("%s\n", err.message);
	for (i = 0; i < n; i++)
		PQclear(res[i]);
	free(res);
	buf_free(&sql);
	db_error_clear(&err);
	db_close(db);
	return 0;
}
