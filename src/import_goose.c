/*
 * import_goose.c: reading a goose directory, <version>_<name>.sql files
 * with "-- +goose Up" and "-- +goose Down" annotations.  Other
 * annotations stay in the SQL as the comments they are, except NO
 * TRANSACTION (a no-transaction unit) and ENVSUB (refused: goose would
 * change the SQL).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import.h"

/* The annotation of a "-- +goose ..." line, or NULL. */
static const char *
annotation(const char *line, size_t len, size_t *alen)
{
	size_t i = 2;
	size_t end = len;

	if (len < 2 || line[0] != '-' || line[1] != '-')
		return NULL;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i < 6 || strncmp(line + i, "+goose", 6) != 0)
		return NULL;
	i += 6;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	while (end > i && strchr(" \t\r", line[end - 1]) != NULL)
		end--;
	*alen = end - i;
	return line + i;
}

static bool
is(const char *a, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(a, word, n) == 0;
}

static void
split_sections(struct import_set *set, struct import_unit *u, const char *file, const char *text,
			   size_t len)
{
	const char *p = text;
	const char *end = text + len;
	const char *up_from = NULL, *up_to = end, *down_from = NULL;
	int line = 1, up_line = 0, down_line = 0;

	while (p < end)
	{
		const char *eol = memchr(p, '\n', (size_t) (end - p));
		const char *next = eol != NULL ? eol + 1 : end;
		size_t n = (size_t) ((eol != NULL ? eol : end) - p);
		size_t alen;
		const char *a = annotation(p, n, &alen);

		if (a != NULL && is(a, alen, "up") && up_from == NULL)
			up_from = next, up_line = line + 1;
		else if (a != NULL && is(a, alen, "down") && up_from != NULL && down_from == NULL)
			up_to = p, down_from = next, down_line = line + 1;
		else if (a != NULL && (is(a, alen, "up") || is(a, alen, "down")))
			import_refuse(set, file, line, "a repeated or misplaced -- +goose %.*s", (int) alen, a);
		else if (a != NULL && is(a, alen, "no transaction"))
		{
			if (!u->no_transaction)
				buf_append(&u->notes, "-- The source marks it -- +goose NO TRANSACTION.\n");
			u->no_transaction = true;
		}
		else if (a != NULL && alen >= 6 && strncasecmp(a, "envsub", 6) == 0)
			import_refuse(set, file, line, "goose would substitute environment variables here");
		else if (a != NULL && !is(a, alen, "statementbegin") && !is(a, alen, "statementend"))
			import_refuse(set, file, line, "an unknown goose annotation: %.*s", (int) alen, a);
		p = next;
		line++;
	}
	if (up_from == NULL)
	{
		import_refuse(set, file, 0, "no \"-- +goose Up\" line");
		return;
	}
	import_text_set(&u->up, file, up_from, (size_t) (up_to - up_from), up_line);
	if (down_from != NULL)
		import_text_set(&u->down, file, down_from, (size_t) (end - down_from), down_line);
}

static void
take_file(struct import_set *set, const char *dir, const char *file)
{
	size_t digits = strspn(file, "0123456789");
	size_t len = strlen(file);
	char version[64];
	struct import_unit *u;
	struct buf path;

	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, file);
	if (len > 3 && strcmp(file + len - 3, ".go") == 0)
		import_refuse(set, path.data, 0, "a Go migration: only SQL migrations can be imported");
	else if (len < 5 || strcmp(file + len - 4, ".sql") != 0)
		; /* goose reads .sql and .go files only */
	else if (digits == 0 || digits >= sizeof(version) || file[digits] != '_')
		import_refuse(set, path.data, 0, "not a goose file name (<version>_<name>.sql)");
	else
	{
		memcpy(version, file, digits);
		version[digits] = '\0';
		u = import_add(set, path.data, version, file + digits + 1, len - 4 - digits - 1);
		if (u != NULL)
			import_read_split(set, u, &path, split_sections);
	}
	buf_free(&path);
}

int
import_goose_read(const char *dir, struct import_set *set)
{
	if (import_each_entry(set, dir, take_file) != 0)
		return -1;
	return set->errors > 0 ? -1 : 0;
}
