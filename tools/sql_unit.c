/*
 * sql_unit.c: build-time lowering of a plain-SQL unit into an ECPG unit.
 *
 * Usage: sql_unit FILE.sql > FILE.pgc
 *
 * FILE.sql holds "-- migrate:up" (optionally "transaction:false") and
 * optionally "-- migrate:down" sections, each marker alone on its line
 * (dbmate's format, SPEC section 2).  Each section is split into
 * statements with psql's rules (src/sqlsplit.c), and each statement
 * becomes one C string literal holding its exact bytes, in an array of
 * {line, text} per section that the step functions send one by one with
 * PQexec on the runner's connection: ecpg's grammar never sees the SQL,
 * rows a statement returns are read and dropped, and "$1" or "?" in a
 * body stay what they are.  A failed statement is reported at FILE.sql
 * and the statement's first line (#line directives map the C to it too).
 * The arrays are also exported (MIGRATE_SQL_UNIT), so that the runner can
 * send a step's statements together with its bookkeeping in one message.
 *
 * Refused, with FILE:LINE and exit 1: psql meta-commands (a backslash
 * outside quotes), quotes or comments that do not end, COPY from STDIN
 * or to STDOUT, NUL bytes, transaction control in a unit that runs in a
 * transaction, statements before "-- migrate:up", repeated,
 * misplaced or unknown markers and options.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlsplit.h"

struct stmt
{
	size_t start;
	size_t end;
	int line;
	bool terminated;
};

/* "-- migrate:accept CODE RELATION": a live-database hazard accepted (SPEC 11). */
struct accept
{
	char code[64];
	char relation[128];
	int line;
};

struct section
{
	bool present;
	bool no_transaction;
	int line;
	struct stmt *list;
	size_t n;
	struct accept *accepts;
	size_t naccepts;
};

struct lowering
{
	const char *path;
	const char *text;
	size_t len;
	struct section up;
	struct section down;
	struct section *current;
	int errors;
};

static void
error_at(struct lowering *lw, int line, const char *msg, const char *hint)
{
	fprintf(stderr, "%s:%d: error: %s\n", lw->path, line, msg);
	if (hint != NULL)
		fprintf(stderr, "hint: %s\n", hint);
	lw->errors++;
}

static int
line_of(const struct lowering *lw, size_t offset)
{
	int line = 1;
	size_t i;

	for (i = 0; i < offset && i < lw->len; i++)
		if (lw->text[i] == '\n')
			line++;
	return line;
}

/* "--", blanks, "migrate:" after it: the line is meant as a marker. */
static const char *
marker_word(const char *line, size_t len)
{
	size_t i = 0;

	if (len < 2 || line[0] != '-' || line[1] != '-')
		return NULL;
	for (i = 2; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	if (len - i < 8 || strncmp(line + i, "migrate:", 8) != 0)
		return NULL;
	return line + i + 8;
}

static bool
is_marker(const char *line, size_t len, void *arg)
{
	(void) arg;
	return marker_word(line, len) != NULL;
}

/* Copies the next blank-separated word of [*w, stop) into out; false if none fits. */
static bool
next_word(const char **w, const char *stop, char *out, size_t size)
{
	size_t n;

	*w += strspn(*w, " \t\r");
	n = strcspn(*w, " \t\r\n");
	if (*w + n > stop)
		n = (size_t) (stop - *w);
	if (n == 0 || n >= size)
		return false;
	memcpy(out, *w, n);
	out[n] = '\0';
	*w += n;
	return true;
}

/*
 * "-- migrate:accept CODE RELATION" inside a section: the step accepts
 * that hazard on that relation (MIGRATE_ACCEPT of a .pgc unit).
 */
static void
take_accept(struct lowering *lw, const char *w, const char *stop, int line)
{
	struct section *sec = lw->current;
	struct accept a = {.line = line};
	char extra[2];

	if (sec == NULL)
	{
		error_at(lw, line, "\"-- migrate:accept\" before \"-- migrate:up\"",
				 "put it in the section whose statement it accepts");
		return;
	}
	if (!next_word(&w, stop, a.code, sizeof(a.code)) ||
		!next_word(&w, stop, a.relation, sizeof(a.relation)) || next_word(&w, stop, extra, 1))
	{
		error_at(lw, line, "expected \"-- migrate:accept CODE RELATION\"",
				 "for example \"-- migrate:accept rewrite users\" (docs/live-database.md)");
		return;
	}
	if (a.code[strspn(a.code, "abcdefghijklmnopqrstuvwxyz-")] != '\0' ||
		a.relation[strspn(a.relation, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
									  "0123456789_.$")] != '\0')
	{
		error_at(lw, line, "a hazard code is lower case with dashes, a relation a plain name",
				 "for example \"-- migrate:accept rewrite public.users\"");
		return;
	}
	sec->accepts = realloc(sec->accepts, sizeof(*sec->accepts) * (sec->naccepts + 1));
	if (sec->accepts == NULL)
		abort();
	sec->accepts[sec->naccepts++] = a;
}

/* Reads a marker line: its section and options. */
static void
take_marker(struct lowering *lw, size_t start, size_t end, int line)
{
	const char *w = marker_word(lw->text + start, end - start);
	const char *stop = lw->text + end;
	struct section *sec;
	size_t n;

	n = strcspn(w, " \t\r\n");
	if (n == 6 && strncmp(w, "accept", 6) == 0)
	{
		take_accept(lw, w + 6, stop, line);
		return;
	}
	if (n == 2 && strncmp(w, "up", 2) == 0)
		sec = &lw->up;
	else if (n == 4 && strncmp(w, "down", 4) == 0)
		sec = &lw->down;
	else
	{
		error_at(lw, line,
				 "unknown marker: expected \"-- migrate:up\", \"-- migrate:down\" or "
				 "\"-- migrate:accept CODE RELATION\"",
				 NULL);
		return;
	}
	if (sec->present)
		error_at(lw, line, "this section was already given", NULL);
	if (sec == &lw->down && !lw->up.present)
		error_at(lw, line, "\"-- migrate:down\" comes before \"-- migrate:up\"", NULL);
	sec->present = true;
	sec->line = line;
	lw->current = sec;
	for (w += n; w < stop;)
	{
		w += strspn(w, " \t\r");
		if (w >= stop)
			break;
		n = strcspn(w, " \t\r\n");
		if (n == 17 && strncmp(w, "transaction:false", 17) == 0)
			sec->no_transaction = true;
		else if (!(n == 16 && strncmp(w, "transaction:true", 16) == 0))
			error_at(lw, line, "unknown option: the one option is \"transaction:false\"", NULL);
		w += n;
	}
}

static bool
word_at(const char *p, const char *end, const char *word)
{
	size_t n = strlen(word);
	size_t i;

	if ((size_t) (end - p) < n)
		return false;
	for (i = 0; i < n; i++)
		if ((p[i] | 0x20) != word[i])
			return false;
	return true;
}

/* COPY from STDIN (or to STDOUT) would need psql's data lines. */
static bool
is_copy_stdio(const char *p, const char *end)
{
	if (!word_at(p, end, "copy") || (p + 4 < end && strchr(" \t\r\n(", p[4]) == NULL))
		return false;
	for (; p < end; p++)
		if (word_at(p, end, "stdin") || word_at(p, end, "stdout"))
			return true;
	return false;
}

/* BEGIN, COMMIT, ROLLBACK (not TO a savepoint) and the like. */
static bool
ends_transaction(const char *p, size_t len)
{
	char w[2][SQLSPLIT_WORD_MAX];
	int n = sqlsplit_words(p, len, w, 2);

	if (n == 0)
		return false;
	if (strcmp(w[0], "begin") == 0 || strcmp(w[0], "commit") == 0 || strcmp(w[0], "end") == 0 ||
		strcmp(w[0], "abort") == 0)
		return true;
	if (strcmp(w[0], "rollback") == 0)
		return n < 2 || strcmp(w[1], "to") != 0;
	return n == 2 && (strcmp(w[0], "start") == 0 || strcmp(w[0], "prepare") == 0) &&
		   strcmp(w[1], "transaction") == 0;
}

static void
take_statement(struct lowering *lw, const struct sqlsplit *s)
{
	struct section *sec = lw->current;

	if (sec == NULL)
	{
		error_at(lw, s->line, "a statement before \"-- migrate:up\"",
				 "start the file with a line \"-- migrate:up\"");
		return;
	}
	if (s->empty)
		return;
	if (!lw->up.no_transaction && ends_transaction(lw->text + s->start, s->end - s->start))
	{
		error_at(lw, s->line, "transaction control in a unit that runs in the runner's transaction",
				 "drop it: the unit and its history row commit together (a unit marked "
				 "\"-- migrate:up transaction:false\" may use it)");
		return;
	}
	if (is_copy_stdio(lw->text + s->start, lw->text + s->end))
	{
		error_at(lw, s->line, "COPY from STDIN or to STDOUT cannot run from a .sql unit",
				 "load data with INSERT, or write a .pgc unit (docs/units.md, COPY through "
				 "libpq)");
		return;
	}
	sec->list = realloc(sec->list, sizeof(*sec->list) * (sec->n + 1));
	if (sec->list == NULL)
		abort();
	sec->list[sec->n].start = s->start;
	sec->list[sec->n].end = s->end;
	sec->list[sec->n].line = s->line;
	sec->list[sec->n].terminated = s->terminated;
	sec->n++;
}

static void
split(struct lowering *lw)
{
	struct sqlsplit s;
	enum sqlsplit_status st;
	const char *nul = memchr(lw->text, '\0', lw->len);
	char msg[128];

	if (nul != NULL)
	{
		error_at(lw, line_of(lw, (size_t) (nul - lw->text)), "the file holds a NUL byte", NULL);
		return;
	}
	sqlsplit_init(&s, lw->text, lw->len, is_marker, NULL);
	while ((st = sqlsplit_next(&s)) != SQLSPLIT_END)
	{
		if (st == SQLSPLIT_MARKER)
			take_marker(lw, s.start, s.end, s.line);
		else if (st == SQLSPLIT_STATEMENT)
			take_statement(lw, &s);
		else if (st == SQLSPLIT_BACKSLASH)
			error_at(lw, s.line,
					 "a psql meta-command (a backslash outside quotes) cannot run from a .sql unit",
					 "write its SQL instead (\\set, \\i, \\copy and the like are psql's, not the "
					 "server's)");
		else
		{
			snprintf(msg, sizeof(msg), "this %s does not end", s.what);
			error_at(lw, s.line, msg, NULL);
		}
	}
	if (!lw->up.present)
		error_at(lw, 1, "no \"-- migrate:up\" line",
				 "a .sql unit has a \"-- migrate:up\" section and, to be reversible, a "
				 "\"-- migrate:down\" section");
	if (lw->down.no_transaction && !lw->up.no_transaction)
		error_at(lw, lw->down.line,
				 "\"transaction:false\" on the down section only: the unit runs both steps "
				 "the same way",
				 "put \"transaction:false\" on the \"-- migrate:up\" line");
}

/* Writes bytes as the inside of a C string literal, one source line per
 * output line, so that the C keeps the .sql file's line numbers. */
static void
write_literal(FILE *out, const char *p, size_t n)
{
	size_t i;

	putc('"', out);
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) p[i];

		if (c == '\n')
			fputs(i + 1 < n ? "\\n\"\n\t\t\"" : "\\n", out);
		else if (c == '\\' || c == '"')
			fprintf(out, "\\%c", c);
		else if (c == '?')
			fputs("\\?", out); /* never a trigraph */
		else if (c == '\t' || (c >= 0x20 && c < 0x7f))
			putc(c, out);
		else
			fprintf(out, "\\%03o", c);
	}
	putc('"', out);
}

/* The section's statements as a unit_sql_stmt array named name. */
static void
write_statements(const struct lowering *lw, FILE *out, const char *name, const struct section *sec)
{
	size_t i;

	if (sec->n == 0)
		return;
	fprintf(out, "static const struct unit_sql_stmt %s[] = {\n", name);
	for (i = 0; i < sec->n; i++)
	{
		const struct stmt *st = &sec->list[i];

		fprintf(out, "#line %d \"%s\"\n\t{%d, %s,\n\t\t", st->line, lw->path, st->line,
				st->terminated ? "true" : "false");
		write_literal(out, lw->text + st->start, st->end - st->start);
		fputs("},\n", out);
	}
	fputs("};\n\n", out);
}

/* The section's accept lines as a unit_sql_accept array named name. */
static void
write_accepts(FILE *out, const char *name, const struct section *sec)
{
	size_t i;

	if (sec->naccepts == 0)
		return;
	fprintf(out, "static const struct unit_sql_accept %s[] = {\n", name);
	for (i = 0; i < sec->naccepts; i++)
		fprintf(out, "\t{%d, \"%s\", \"%s\"},\n", sec->accepts[i].line, sec->accepts[i].code,
				sec->accepts[i].relation);
	fputs("};\n\n", out);
}

static void
write_step(const struct lowering *lw, FILE *out, const char *name, const struct section *sec)
{
	size_t i;

	fprintf(out, "static int\n%s(void)\n{\n", name);
	for (i = 0; i < sec->naccepts; i++)
		fprintf(out, "#line %d \"%s\"\n\tMIGRATE_ACCEPT(\"%s\", \"%s\");\n", sec->accepts[i].line,
				lw->path, sec->accepts[i].code, sec->accepts[i].relation);
	if (sec->n > 0)
		fprintf(out, "\tsql_run_all(sql_%s, %zu);\n", name, sec->n);
	fputs("\treturn 0;\n}\n\n", out);
}

/* "SET [SESSION | LOCAL] NAMES ...": client_encoding by another name. */
static bool
sets_names(const char *p, size_t len)
{
	char w[3][SQLSPLIT_WORD_MAX];
	int n = sqlsplit_words(p, len, w, 3);

	if (n < 2 || strcmp(w[0], "set") != 0)
		return false;
	if (strcmp(w[1], "session") == 0 || strcmp(w[1], "local") == 0)
		return n == 3 && strcmp(w[2], "names") == 0;
	return strcmp(w[1], "names") == 0;
}

/*
 * Whether a statement may change how the server reads the statements after
 * it (standard_conforming_strings, backslash_quote, the client encoding):
 * the server converts and parses a whole message before running any of
 * it, so such a unit's statements must go one at a time, as psql sends
 * them.  A mention anywhere counts, even in a comment: the cost of a false
 * alarm is a round trip per statement.
 */
static bool
changes_lexing(const struct lowering *lw, const struct section *sec)
{
	static const char *const words[] = {"standard_conforming_strings", "backslash_quote",
										"client_encoding"};
	size_t i;
	size_t w;
	const char *p;

	for (i = 0; i < sec->n; i++)
	{
		const char *start = lw->text + sec->list[i].start;
		const char *end = lw->text + sec->list[i].end;

		if (sets_names(start, (size_t) (end - start)))
			return true;
		for (p = start; p < end; p++)
			for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
				if ((size_t) (end - p) >= strlen(words[w]) &&
					strncasecmp(p, words[w], strlen(words[w])) == 0)
					return true;
	}
	return false;
}

/*
 * The unit's statements as data for the runner's one-message path: only
 * for a unit that runs in a transaction and leaves the server's lexing
 * alone.
 */
static bool
write_sql_steps(const struct lowering *lw, FILE *out)
{
	if (lw->up.no_transaction || changes_lexing(lw, &lw->up) || changes_lexing(lw, &lw->down))
		return false;
	write_accepts(out, "sql_up_accepts", &lw->up);
	write_accepts(out, "sql_down_accepts", &lw->down);
	fprintf(out,
			"static const struct unit_sql_steps sql_steps = {\n"
			"\tsql_file, %s, %zu, %s, %zu,\n\t%s, %zu, %s, %zu};\n\n",
			lw->up.n > 0 ? "sql_up" : "NULL", lw->up.n,
			lw->down.present && lw->down.n > 0 ? "sql_down" : "NULL",
			lw->down.present ? lw->down.n : 0, lw->up.naccepts > 0 ? "sql_up_accepts" : "NULL",
			lw->up.naccepts, lw->down.naccepts > 0 ? "sql_down_accepts" : "NULL",
			lw->down.naccepts);
	return true;
}

static void
write_unit(const struct lowering *lw, FILE *out)
{
	bool reversible = lw->down.present;
	bool data;

	fprintf(out,
			"/* Generated by tools/sql_unit from %s: do not edit, edit that file. */\n"
			"EXEC SQL INCLUDE migrate_unit;\n\n"
			"/* A unit header may route statements through an observer. */\n"
			"#ifndef MIGRATE_SQL_EXEC\n"
			"#define MIGRATE_SQL_EXEC(conn, file, line, sql) PQexec((conn), (sql))\n"
			"#endif\n\n"
			"static const char sql_file[] = \"%s\";\n\n"
			"/* Sends one statement as the file writes it; rows it returns are\n"
			" * dropped.  A failure ends the step at the statement's line. */\n"
			"static void __attribute__((unused))\n"
			"sql_run(int line, const char *sql)\n"
			"{\n"
			"\tPGresult *res = MIGRATE_SQL_EXEC(ECPGget_PGconn(NULL), sql_file, line, sql);\n\n"
			"\tswitch (PQresultStatus(res))\n"
			"\t{\n"
			"\t\tcase PGRES_COMMAND_OK:\n"
			"\t\tcase PGRES_TUPLES_OK:\n"
			"\t\tcase PGRES_EMPTY_QUERY:\n"
			"\t\t\tPQclear(res);\n"
			"\t\t\treturn;\n"
			"\t\tdefault:\n"
			"\t\t\tmigrate_pq_failed(sql_file, line, res);\n"
			"\t}\n"
			"}\n\n"
			"static void __attribute__((unused))\n"
			"sql_run_all(const struct unit_sql_stmt *stmts, size_t n)\n"
			"{\n"
			"\tsize_t i;\n\n"
			"\tfor (i = 0; i < n; i++)\n"
			"\t\tsql_run(stmts[i].line, stmts[i].text);\n"
			"}\n\n",
			lw->path, lw->path);
	write_statements(lw, out, "sql_up", &lw->up);
	if (reversible)
		write_statements(lw, out, "sql_down", &lw->down);
	write_step(lw, out, "up", &lw->up);
	if (reversible)
		write_step(lw, out, "down", &lw->down);
	data = write_sql_steps(lw, out);
	fprintf(out, "MIGRATE_SQL_UNIT(up, %s, %s%s%s, %s);\n", reversible ? "down" : "NULL",
			reversible ? "" : "MIGRATE_IRREVERSIBLE",
			!reversible && lw->up.no_transaction ? " | " : "",
			lw->up.no_transaction ? "MIGRATE_NO_TRANSACTION" : (reversible ? "0" : ""),
			data ? "&sql_steps" : "NULL");
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;
	size_t n = 0;
	size_t got;

	if (f == NULL)
		return NULL;
	do
	{
		if (n == cap)
		{
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap);
			if (buf == NULL)
				abort();
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	if (ferror(f))
	{
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int
main(int argc, char **argv)
{
	struct lowering lw = {0};
	char *text;
	const char *p;

	if (argc != 2)
	{
		fprintf(stderr, "usage: sql_unit FILE.sql > FILE.pgc\n");
		return 2;
	}
	lw.path = argv[1];
	for (p = lw.path; *p != '\0'; p++)
		if (*p == '"' || *p == '\\' || (unsigned char) *p < 0x20)
		{
			fprintf(stderr, "%s: error: the path cannot be written in C\n", lw.path);
			return 1;
		}
	text = read_file(lw.path, &lw.len);
	if (text == NULL)
	{
		perror(lw.path);
		return 1;
	}
	lw.text = text;
	split(&lw);
	if (lw.errors == 0)
		write_unit(&lw, stdout);
	free(lw.up.list);
	free(lw.down.list);
	free(lw.up.accepts);
	free(lw.down.accepts);
	free(text);
	if (lw.errors > 0)
		return 1;
	return fflush(stdout) != 0 || ferror(stdout) ? 1 : 0;
}
