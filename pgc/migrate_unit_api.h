/*
 * migrate_unit_api.h: the plain-C declarations of migrate_unit.h, for the
 * runner's side (migrate_unit.h itself carries an EXEC SQL directive).
 */
#ifndef MIGRATE_UNIT_API_H
#define MIGRATE_UNIT_API_H

#include <libpq-fe.h>

void migrate_sql_failed(const char *file, int line);
void migrate_pq_failed(const char *file, int line, PGresult *res);

#endif
