/*
 * test_sqlsplit.c: statement splitting, case by case as psql splits the
 * same text (each input was checked against psql's own lexer with
 * fuzz/fuzz_sqlsplit.c).  A result is written as the statements joined
 * with "|", then "!B@N" for a meta-command at line N or "!U@N" for a quote
 * or comment that does not end, opened at line N.
 */
#include <stdio.h>
#include <string.h>

#include "sqlsplit.h"
#include "tap.h"

static bool
marker_m(const char *line, size_t len, void *arg)
{
	(void) arg;
	return len >= 4 && strncmp(line, "-- m", 4) == 0;
}

/* The statements of text, their lines after "@" when lines is set. */
static const char *
split(const char *text, bool lines, bool markers)
{
	static char out[4096];
	struct sqlsplit s;
	enum sqlsplit_status st;
	size_t n = 0;

	out[0] = '\0';
	sqlsplit_init(&s, text, strlen(text), markers ? marker_m : NULL, NULL);
	while ((st = sqlsplit_next(&s)) != SQLSPLIT_END)
	{
		const char *sep = n > 0 ? "|" : "";

		if (st == SQLSPLIT_STATEMENT)
			n += (size_t) snprintf(out + n, sizeof(out) - n, "%s%.*s%s", sep,
								   (int) (s.end - s.start), text + s.start,
								   s.empty ? "(empty)" : "");
		else if (st == SQLSPLIT_MARKER)
			n += (size_t) snprintf(out + n, sizeof(out) - n, "%sMARKER", sep);
		else
			n += (size_t) snprintf(out + n, sizeof(out) - n, "!%c",
								   st == SQLSPLIT_BACKSLASH ? 'B' : 'U');
		if (lines || st == SQLSPLIT_BACKSLASH || st == SQLSPLIT_UNTERMINATED)
			n += (size_t) snprintf(out + n, sizeof(out) - n, "@%d", s.line);
	}
	return out;
}

/* "t" or "f" for each statement of text: whether it ended with its own ";". */
static const char *
terminated(const char *text)
{
	static char out[64];
	struct sqlsplit s;
	enum sqlsplit_status st;
	size_t n = 0;

	sqlsplit_init(&s, text, strlen(text), marker_m, NULL);
	while ((st = sqlsplit_next(&s)) != SQLSPLIT_END && n + 1 < sizeof(out))
		if (st == SQLSPLIT_STATEMENT)
			out[n++] = s.terminated ? 't' : 'f';
	out[n] = '\0';
	return out;
}

int
main(void)
{
	is(split("SELECT 1; SELECT 2;", false, false), "SELECT 1;|SELECT 2;", "two statements");
	is(split("-- lead\n  SELECT 1;\n-- tail\n", false, false), "SELECT 1;",
	   "leading white space and -- comments are not part of a statement");
	is(split("SELECT 1 -- c;\n; x;", false, false), "SELECT 1 -- c;\n;|x;",
	   "a -- comment inside a statement is kept, its ; ignored");
	is(split("SELECT 1\n", false, false), "SELECT 1",
	   "the last statement needs no semicolon; the final newline is not part of it");
	is(split("SELECT 'a;b''c'; x;", false, false), "SELECT 'a;b''c';|x;", "standard strings");
	is(split("SELECT 'a\\'; x;", false, false), "SELECT 'a\\';|x;",
	   "a backslash in a standard string escapes nothing");
	is(split("SELECT E'a\\';b'; x;", false, false), "SELECT E'a\\';b';|x;",
	   "a backslash in an E'' string escapes the quote");
	is(split("SELECT e'a''\\';'; x;", false, false), "SELECT e'a''\\';';|x;",
	   "'' and \\' together in an e'' string");
	is(split("SELECT xe'\\'; x;';", false, false), "SELECT xe'\\';|x;!U@1",
	   "e after an identifier letter is no E'' prefix");
	is(split("SELECT 1e'\\'; x;", false, false), "SELECT 1e'\\';|x;",
	   "nor after a number (psql's junk rule takes 1e whole)");
	is(split("SELECT U&'d\\0061t;a', U&\"a;\"\"\"; x;", false, false),
	   "SELECT U&'d\\0061t;a', U&\"a;\"\"\";|x;", "U&'' strings and U&\"\" identifiers");
	is(split("SELECT B'01;', X'1;', N'a;'; x;", false, false), "SELECT B'01;', X'1;', N'a;';|x;",
	   "bit, hex and national strings");
	is(split("SELECT \"a;\"\"b\"; x;", false, false), "SELECT \"a;\"\"b\";|x;",
	   "quoted identifiers");
	is(split("CREATE FUNCTION f() RETURNS int AS $body$ SELECT $$;$$; $x$;$x$ $body$ LANGUAGE sql; "
			 "x;",
			 false, false),
	   "CREATE FUNCTION f() RETURNS int AS $body$ SELECT $$;$$; $x$;$x$ $body$ LANGUAGE sql;|x;",
	   "tagged and nested dollar quotes");
	is(split("SELECT $a$ $b$a$ ; x;", false, false), "SELECT $a$ $b$a$ ;|x;",
	   "a dollar quote ends at its own tag, even inside another delimiter");
	is(split("SELECT $1; SELECT a$b$c; SELECT $_1$;$_1$; x;", false, false),
	   "SELECT $1;|SELECT a$b$c;|SELECT $_1$;$_1$;|x;",
	   "parameters and identifiers with $ are no dollar quotes");
	is(split("SELECT 1x$$; x;", false, false), "SELECT 1x$$;|x;",
	   "a number with an identifier after it holds no dollar quote");
	is(split("/* a /* b */ ; */ SELECT 1; x;", false, false), "/* a /* b */ ; */ SELECT 1;|x;",
	   "nested block comments");
	is(split("SELECT 1 */* c */; x;", false, false), "SELECT 1 */* c */;|x;",
	   "a comment starts inside an operator");
	is(split("SELECT (1;2); x;", false, false), "SELECT (1;2);|x;",
	   "a semicolon inside parentheses does not end the statement");
	is(split("CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; "
			 "SELECT CASE WHEN true THEN 1 END; END; x;",
			 false, false),
	   "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE "
	   "WHEN true THEN 1 END; END;|x;",
	   "a BEGIN ATOMIC body with CASE ... END in it");
	is(split("CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END; x;", false, false),
	   "CREATE PROCEDURE p() BEGIN ATOMIC INSERT INTO t VALUES (1); END;|x;", "and in a procedure");
	is(split("BEGIN; SELECT 1; END;", false, false), "BEGIN;|SELECT 1;|END;",
	   "a transaction block is no function body");
	is(split("CREATE (x) FUNCTION f() BEGIN ATOMIC SELECT 1; END;", false, false),
	   "CREATE (x) FUNCTION f() BEGIN ATOMIC SELECT 1; END;",
	   "psql counts only the words outside parentheses");
	is(split("; /* c */ ;", false, false), ";(empty)|/* c */ ;(empty)",
	   "statements of comments and semicolons only are marked empty");
	is(split("SELECT E'a'\r'\\';' ; x;", false, false), "SELECT E'a'\r'\\';' ;|x;",
	   "a literal continued after a carriage return keeps its E'' rules");
	is(split("SELECT E'a'\n\n\n\r'\\';' ; x;", false, false), "SELECT E'a'\n\n\n\r'\\';' ;|x;",
	   "and continued on a later line, past empty ones (psql skips them)");
	is(split("SELECT E'a'\n \n\r'\\';' ; x;", false, false), "SELECT E'a'\n \n\r'\\';!U@3",
	   "a line of spaces ends it (psql's lexer sees that line): what follows is another literal");
	is(split("\n\nSELECT\n1;\n  SELECT 2;", true, false), "SELECT\n1;@3|SELECT 2;@5",
	   "each statement's first line");
	is(split("SELECT 1;\n\\set x 1\nSELECT 2;", false, false), "SELECT 1;!B@2",
	   "a psql meta-command is reported with its line");
	is(split("SELECT 1 \\gset\n", false, false), "!B@1", "a meta-command after SQL too");
	is(split("SELECT '\\set'; SELECT $$\\$$;", false, false), "SELECT '\\set';|SELECT $$\\$$;",
	   "backslashes inside quotes are SQL");
	is(split("SELECT 1;\nSELECT 'abc", false, false), "SELECT 1;!U@2", "an unterminated string");
	is(split("SELECT 1;\n\n/* abc", false, false), "SELECT 1;!U@3", "an unterminated comment");
	is(split("SELECT $x$ abc $y$;", false, false), "!U@1", "an unterminated dollar quote");
	is(split("SELECT \"abc", false, false), "!U@1", "an unterminated quoted identifier");
	is(split("A;\n-- m up\nB\n-- m down\nC;", true, true), "A;@1|MARKER@2|B@3|MARKER@4|C;@5",
	   "marker lines end the statement before them");
	is(split("$$\n-- m\n$$;\n /* -- m */ x;", false, true), "$$\n-- m\n$$;|/* -- m */ x;",
	   "a marker inside a quote or comment is text");
	{
		char w[3][SQLSPLIT_WORD_MAX];
		const char *stmt = "/* a /* nested */ comment */ -- line\n (Create UNIQUE index x";

		ok(sqlsplit_words(stmt, strlen(stmt), w, 3) == 3, "three words after the comments");
		is(w[0], "create", "the first word, lower-cased");
		is(w[2], "index", "the third word");
		ok(sqlsplit_words("COMMIT;", 7, w, 3) == 1 && strcmp(w[0], "commit") == 0,
		   "a word ends at a semicolon");
	}
	is(terminated("SELECT 1; SELECT 2"), "tf",
	   "the last statement without a semicolon is not terminated");
	is(terminated("SELECT 1 -- c;"), "f", "nor one whose last ; is in a -- comment");
	is(terminated("SELECT 1;\n-- m\nSELECT 2 -- x;\n-- m\n"), "tf", "nor one that a marker ends");
	return done_testing();
}
