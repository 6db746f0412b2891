/*
 * db_error.h: a database error as the runner reports it, shared by the
 * database layer (pgc/db.pgc fills it) and the output (report.c prints
 * it) so that neither includes the other.
 */
#ifndef MIGRATE_DB_ERROR_H
#define MIGRATE_DB_ERROR_H

/*
 * A server error (sqlstate set), or a client-side one with sqlstate "".
 * detail may hold several lines (the server's DETAIL of a DROP with two
 * dependent objects does).
 */
struct db_error
{
	char sqlstate[6];
	char *message; /* owned; NULL when there is no error */
	char *detail; /* owned or NULL */
	char *hint; /* owned or NULL */
};

#endif
