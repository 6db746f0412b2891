/*
 * history_name.h: the one reading of the history_table setting, shared by
 * the statements that create and use the table and by the fingerprint,
 * which leaves the table out.
 */
#ifndef MIGRATE_HISTORY_NAME_H
#define MIGRATE_HISTORY_NAME_H

/*
 * Splits "name" or "schema.name" (schema public when absent) into the
 * schema and table names exactly as the catalogs store them: each part is
 * taken as written, upper case kept (Ops.Hist names "Ops"."Hist"), as
 * cfg.c accepts it: 1 to 63 bytes of letters, digits, "_" and "$", not
 * starting with a digit or "$".  Returns 0 with *schema and *table set
 * (the caller frees both), or -1 with both NULL when configured is not
 * one or two such names.
 */
int history_name_split(const char *configured, char **schema, char **table)
	__attribute__((warn_unused_result));

#endif
