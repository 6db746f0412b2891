/*
 * test_eng_history_name.c: history_name_split(), the one reading of the
 * history_table setting.
 */
#include <stdlib.h>

#include "history_name.h"
#include "tap.h"

static void
split(const char *configured, const char *schema, const char *table)
{
	char *s = NULL;
	char *t = NULL;
	int rc = history_name_split(configured, &s, &t);

	if (schema == NULL)
		ok(rc == -1 && s == NULL && t == NULL, "\"%s\" is refused", configured);
	else
	{
		is(s, schema, "\"%s\": the schema", configured);
		is(t, table, "\"%s\": the table", configured);
	}
	free(s);
	free(t);
}

int
main(void)
{
	split("schema_migrations", "public", "schema_migrations");
	split("ops.history", "ops", "history");
	split("Ops.Hist", "Ops", "Hist");
	split("_Ops.h$1", "_Ops", "h$1");
	split("", NULL, NULL);
	split(".x", NULL, NULL);
	split("x.", NULL, NULL);
	split("a.b.c", NULL, NULL);
	split("\"Ops\".x", NULL, NULL);
	split("1x", NULL, NULL);
	split("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234", NULL, NULL);
	ok(history_name_split(NULL, &(char *){NULL}, &(char *){NULL}) == -1, "NULL is refused");
	return done_testing();
}
