/*
 * history_shape.h: recognising another tool's history table by its
 * columns (SPEC section 12), so that a golang-migrate or dbmate
 * schema_migrations is never taken for this runner's.
 */
#ifndef MIGRATE_HISTORY_SHAPE_H
#define MIGRATE_HISTORY_SHAPE_H

#include <stdbool.h>

/*
 * The tool whose history table has these columns (names separated by
 * single spaces, in any order): "golang-migrate", "dbmate", "goose",
 * "flyway" or "diesel"; NULL when they are this runner's own (version,
 * name, checksum, state); "another tool" for any other shape.  Static
 * strings.
 */
const char *history_shape_tool(const char *columns);

/*
 * The suffix of the name a table of format moves to when adopted:
 * "golang_migrate" for golang-migrate, the format itself otherwise.
 */
const char *history_shape_suffix(const char *format);

#endif
