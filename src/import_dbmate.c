/*
 * import_dbmate.c: reading a dbmate directory, <version>_<name>.sql files
 * with "-- migrate:up" and "-- migrate:down" sections (dbmate finds the
 * markers line by line, without reading the SQL, and so does this).
 */
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* The section of a marker line ("--", blanks, "migrate:up" or
 * "migrate:down"), its options after it, or NULL. */
static const char *
marker(const char *line, size_t len, bool *up)
{
	size_t i = 2;

	if (len < 2 || line[0] != '-' || line[1] != '-')
		return NULL;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (len - i >= 10 && strncmp(line + i, "migrate:up", 10) == 0)
		return *up = true, line + i + 10;
	if (len - i >= 12 && strncmp(line + i, "migrate:down", 12) == 0)
		return *up = false, line + i + 12;
	return NULL;
}

/* Reads the options after a marker; false after a refusal. */
static bool
options(struct import_set *set, const char *file, int line, const char *p, const char *end,
		bool *no_transaction)
{
	while (p < end)
	{
		size_t n;

		p += strspn(p, " \t\r");
		if (p >= end)
			break;
		n = strcspn(p, " \t\r\n");
		if (n == 17 && strncmp(p, "transaction:false", 17) == 0)
			*no_transaction = true;
		else if (!(n == 16 && strncmp(p, "transaction:true", 16) == 0))
		{
			import_refuse(set, file, line, "an option dbmate has but migrate cannot import: %.*s",
						  (int) n, p);
			return false;
		}
		p += n;
	}
	return true;
}

/* Only comments and blank lines may come before "-- migrate:up". */
static bool
blank_or_comment(const char *p, size_t len)
{
	size_t i = strspn(p, " \t\r");

	return i >= len || (len - i >= 2 && p[i] == '-' && p[i + 1] == '-');
}

static void
split_sections(struct import_set *set, struct import_unit *u, const char *file, const char *text,
			   size_t len)
{
	const char *p = text;
	const char *end = text + len;
	const char *up_from = NULL, *down_from = NULL, *up_to = end;
	int line = 1, up_line = 0, down_line = 0;
	bool up_notx = false, down_notx = false;

	while (p < end)
	{
		const char *eol = memchr(p, '\n', (size_t) (end - p));
		const char *next = eol != NULL ? eol + 1 : end;
		size_t n = (size_t) ((eol != NULL ? eol : end) - p);
		bool is_up;
		const char *opts = marker(p, n, &is_up);

		if (opts != NULL && is_up && up_from == NULL)
		{
			up_from = next;
			up_line = line + 1;
			options(set, file, line, opts, p + n, &up_notx);
		}
		else if (opts != NULL && !is_up && up_from != NULL && down_from == NULL)
		{
			up_to = p;
			down_from = next;
			down_line = line + 1;
			options(set, file, line, opts, p + n, &down_notx);
		}
		else if (opts != NULL)
			import_refuse(set, file, line, "a repeated or misplaced section marker");
		else if (up_from == NULL && !blank_or_comment(p, n))
			import_refuse(set, file, line, "SQL before \"-- migrate:up\" (dbmate refuses it too)");
		p = next;
		line++;
	}
	if (up_from == NULL)
	{
		import_refuse(set, file, 0, "no \"-- migrate:up\" line");
		return;
	}
	import_text_set(&u->up, file, up_from, (size_t) (up_to - up_from), up_line);
	if (down_from != NULL)
		import_text_set(&u->down, file, down_from, (size_t) (end - down_from), down_line);
	u->no_transaction = up_notx;
	if (up_notx)
		buf_append(&u->notes, "-- The source marks it transaction:false.\n");
	if (down_notx && !up_notx)
	{
		/* one unit runs both steps the same way: the down's need wins */
		u->no_transaction = true;
		buf_append(&u->notes, "-- The source marks its down step transaction:false: the "
							  "whole unit runs outside a transaction.\n");
	}
}

static void
take_file(struct import_set *set, const char *dir, const char *file)
{
	size_t digits = strspn(file, "0123456789");
	size_t len = strlen(file) - 4;
	const char *name = file + digits + (file[digits] == '_' ? 1 : 0);
	char version[64];
	struct import_unit *u;
	struct buf path;

	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, file);
	if (digits == 0 || digits >= sizeof(version))
	{
		import_refuse(set, path.data, 0, "not a dbmate file name (<version>_<name>.sql)");
		buf_free(&path);
		return;
	}
	memcpy(version, file, digits);
	version[digits] = '\0';
	u = import_add(set, path.data, version, name, (size_t) (file + len - name));
	if (u != NULL)
		import_read_split(set, u, &path, split_sections);
	buf_free(&path);
}

/* dbmate reads *.sql files only */
static void
take_sql_file(struct import_set *set, const char *dir, const char *file)
{
	size_t len = strlen(file);

	if (len >= 5 && strcmp(file + len - 4, ".sql") == 0)
		take_file(set, dir, file);
}

int
import_dbmate_read(const char *dir, struct import_set *set)
{
	if (import_each_entry(set, dir, take_sql_file) != 0)
		return -1;
	return set->errors > 0 ? -1 : 0;
}
