/*
 * fuzz_sqlsplit.c: src/sqlsplit.c against psql's own lexer.
 *
 * The reference is psql's lexer itself (psql_scan from PostgreSQL's
 * libpgfeutils), driven the way psql's MainLoop drives it for "psql -f":
 * line by line, a newline put back between lines, a statement sent at each
 * PSCAN_SEMICOLON and what is left at the end of the file.  For every input
 * both must find the same statements with the same bytes, or both refuse
 * it (a backslash command outside quotes, a quote or comment that does not
 * end).  psql drops empty lines outside quotes from what it sends, which
 * changes nothing the server executes: statements are compared with that
 * allowed for.  Inputs with ":{?name}" (psql's variable test, replaced
 * by TRUE or FALSE) or NUL bytes are left out.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* what postgres_fe.h would bring, without the server's c.h */
#define pg_attribute_printf(f, a) __attribute__((format(printf, f, a)))
#include "pqexpbuffer.h"
#include "fe_utils/psqlscan.h"

#include "sqlsplit.h"

#define PG_UTF8_ID 6 /* pg_wchar.h's PG_UTF8 */

struct stmts
{
	char **text;
	size_t *len;
	size_t n;
};

static void
add(struct stmts *l, const char *text, size_t len)
{
	l->text = realloc(l->text, sizeof(*l->text) * (l->n + 1));
	l->len = realloc(l->len, sizeof(*l->len) * (l->n + 1));
	if (l->text == NULL || l->len == NULL)
		abort();
	l->text[l->n] = malloc(len + 1);
	memcpy(l->text[l->n], text, len);
	l->len[l->n++] = len;
}

static void
clear(struct stmts *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->text[i]);
	free(l->text);
	free(l->len);
	memset(l, 0, sizeof(*l));
}

/* 0: statements in l; 1: a backslash command; 2: ends inside a quote */
static int
psql_split(const char *data, size_t size, struct stmts *l)
{
	static const PsqlScanCallbacks callbacks = {NULL};
	PsqlScanState st = psql_scan_create(&callbacks);
	PQExpBuffer buf = createPQExpBuffer();
	size_t p = 0;
	int result = 0;

	while (p < size && result == 0)
	{
		const char *eol = memchr(data + p, '\n', size - p);
		size_t linelen = eol != NULL ? (size_t) (eol - (data + p)) : size - p;
		char *line = strndup(data + p, linelen);
		promptStatus_t prompt;

		if (linelen == 0 && !psql_scan_in_quote(st))
		{
			/* MainLoop drops an empty line outside quotes */
			free(line);
			p += 1;
			continue;
		}
		if (buf->len > 0)
			appendPQExpBufferChar(buf, '\n');
		psql_scan_setup(st, line, (int) linelen, PG_UTF8_ID, true);
		for (;;)
		{
			PsqlScanResult r = psql_scan(st, buf, &prompt);

			if (r == PSCAN_SEMICOLON)
			{
				add(l, buf->data, buf->len);
				resetPQExpBuffer(buf);
				continue;
			}
			if (r == PSCAN_BACKSLASH)
				result = 1;
			break;
		}
		psql_scan_finish(st);
		free(line);
		p += linelen + (eol != NULL ? 1 : 0);
	}
	if (result == 0 && psql_scan_in_quote(st))
		result = 2;
	else if (result == 0 && buf->len > 0)
		add(l, buf->data, buf->len);
	destroyPQExpBuffer(buf);
	psql_scan_destroy(st);
	return result;
}

static int
our_split(const char *data, size_t size, struct stmts *l, size_t *where)
{
	struct sqlsplit s;
	enum sqlsplit_status st;

	sqlsplit_init(&s, data, size, NULL, NULL);
	while ((st = sqlsplit_next(&s)) == SQLSPLIT_STATEMENT)
		add(l, data + s.start, s.end - s.start);
	*where = s.start;
	if (st == SQLSPLIT_BACKSLASH)
		return 1;
	return st == SQLSPLIT_UNTERMINATED ? 2 : 0;
}

static void
disagree(const char *why, const struct stmts *a, const struct stmts *b)
{
	size_t i;

	fprintf(stderr, "sqlsplit disagrees with psql: %s\n", why);
	for (i = 0; i < a->n; i++)
		fprintf(stderr, "  ours[%zu] = [%.*s]\n", i, (int) a->len[i], a->text[i]);
	for (i = 0; i < b->n; i++)
		fprintf(stderr, "  psql[%zu] = [%.*s]\n", i, (int) b->len[i], b->text[i]);
	abort();
}

/* a equals b once some newlines that follow a newline are taken out of a */
static bool
same_but_blank_lines(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0;
	size_t j = 0;

	while (i < na)
	{
		if (j < nb && a[i] == b[j])
			i++, j++;
		else if (a[i] == '\n' && i > 0 && a[i - 1] == '\n')
			i++;
		else
			return false;
	}
	return j == nb;
}

static void
compare(const struct stmts *ours, const struct stmts *ref)
{
	size_t i;

	if (ours->n != ref->n)
		disagree("a different number of statements", ours, ref);
	for (i = 0; i < ours->n; i++)
		if (!same_but_blank_lines(ours->text[i], ours->len[i], ref->text[i], ref->len[i]))
			disagree("a statement differs", ours, ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;
	struct stmts ours = {0};
	struct stmts ref = {0};
	size_t where = 0;
	int r_ours;
	int r_ref;

	if (memchr(data, '\0', size) != NULL || memmem(data, size, ":{?", 3) != NULL)
		return 0;
	r_ours = our_split(text, size, &ours, &where);
	if (r_ours == 1)
	{
		/* the backslash is outside quotes for psql too: the text before
		 * it splits the same and leaves psql outside any quote */
		size_t ignored;

		clear(&ours);
		if (our_split(text, where, &ours, &ignored) != 0)
			disagree("the text before a backslash does not split cleanly", &ours, &ref);
		r_ref = psql_split(text, where, &ref);
		if (r_ref != 0)
			disagree("psql sees the backslash inside a quote", &ours, &ref);
	}
	else
	{
		r_ref = psql_split(text, size, &ref);
		if (r_ref != r_ours)
		{
			char why[80];

			snprintf(why, sizeof(why), "ours returns %d, psql %d", r_ours, r_ref);
			disagree(why, &ours, &ref);
		}
	}
	compare(&ours, &ref);
	clear(&ours);
	clear(&ref);
	return 0;
}
