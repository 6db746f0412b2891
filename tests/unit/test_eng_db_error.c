/*
 * test_eng_db_error.c: db_error_from_text() takes the server's message
 * apart by its shape, never by English words: a severity in another
 * language (lc_messages) is recognised as well as "ERROR".
 */
#include "db.h"
#include "tap.h"

static void
check(const char *text, const char *message, const char *detail, const char *name)
{
	struct db_error e = {0};

	db_error_from_text(&e, "42P01", text);
	is(e.message, message, "%s: the message", name);
	is(e.detail, detail, "%s: the detail", name);
	is(e.sqlstate, "42P01", "%s: the SQLSTATE", name);
	db_error_clear(&e);
}

int
main(void)
{
	check("ERROR:  relation \"x\" does not exist\nDETAIL:  d\n", "relation \"x\" does not exist",
		  "d", "English");
	check("FEHLER:  Relation »x« existiert nicht\nDETAIL:  d\n", "Relation »x« existiert nicht",
		  "d", "German");
	check("ОШИБКА:  отношение \"x\" не существует\n", "отношение \"x\" не существует", NULL,
		  "Russian");
	check("FATAL:  terminating connection due to administrator command\n",
		  "terminating connection due to administrator command", NULL, "a FATAL error");
	check("internal error: a batch returned more than the 4 results expected",
		  "internal error: a batch returned more than the 4 results expected", NULL,
		  "a message of the runner's own keeps its words");
	check("server closed the connection unexpectedly\n\tThis probably means the server terminated",
		  "server closed the connection unexpectedly\n\tThis probably means the server terminated",
		  NULL, "libpq's own message keeps every line");
	return done_testing();
}
