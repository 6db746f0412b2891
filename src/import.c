/*
 * import.c: what every import format shares (see import.h): versions and
 * names, the checks on each step's statements, rendering a unit and
 * writing the set, all or nothing.
 */
#include "import.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitcode.h"
#include "json.h"
#include "log.h"
#include "sqlsplit.h"
#include "unitname.h"

void
import_refuse(struct import_set *set, const char *file, int line, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (line > 0)
		log_error("%s:%d: %s", file, line, b.data);
	else
		log_error("%s: %s", file, b.data);
	buf_free(&b);
	set->errors++;
}

struct import_unit *
import_find(struct import_set *set, const char *version)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (strcmp(set->units[i].version, version) == 0)
			return &set->units[i];
	return NULL;
}

int
import_read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;
	int bad;

	if (f == NULL)
		return -1;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append_len(&b, chunk, n);
	bad = ferror(f);
	fclose(f);
	if (bad)
	{
		buf_free(&b);
		return -1;
	}
	*len = b.len;
	*out = buf_detach(&b);
	buf_free(&b); /* buf_detach leaves an empty buffer */
	return 0;
}

int
import_each_entry(struct import_set *set, const char *dir, import_take_fn take)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
	{
		import_refuse(set, dir, 0, "could not open the directory");
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			take(set, dir, de->d_name);
	closedir(d);
	return 0;
}

void
import_read_split(struct import_set *set, struct import_unit *u, struct buf *path,
				  import_split_fn split)
{
	char *text;
	size_t len;

	if (import_read_file(path->data, &text, &len) == 0)
	{
		split(set, u, path->data, text, len);
		free(text);
	}
	else
		import_refuse(set, path->data, 0, "could not read the file");
	if (u->up.file == NULL)
		u->up.file = buf_detach(path);
}

struct import_unit *
import_add(struct import_set *set, const char *file, const char *version, const char *name,
		   size_t name_len)
{
	struct import_unit *u;
	size_t digits = strlen(version);
	size_t i;
	long long value = 0;

	if (digits == 0 || strspn(version, "0123456789") != digits)
	{
		import_refuse(set, file, 0, "version \"%s\" is not an integer", version);
		return NULL;
	}
	if (digits > UNITNAME_MAX_DIGITS)
	{
		import_refuse(set, file, 0, "version %s has more than %d digits", version,
					  UNITNAME_MAX_DIGITS);
		return NULL;
	}
	for (i = 0; i < digits; i++)
		value = value * 10 + (version[i] - '0');
	if (name_len == 0 || name_len > 200)
	{
		import_refuse(set, file, 0, "the name is empty or longer than 200 bytes");
		return NULL;
	}
	set->units = xrealloc(set->units, sizeof(*set->units) * (set->n + 1));
	u = &set->units[set->n++];
	memset(u, 0, sizeof(*u));
	buf_init(&u->notes);
	u->version = xstrdup(version);
	u->value = value;
	u->source_value = value;
	u->source_name = xmalloc(name_len + 1);
	memcpy(u->source_name, name, name_len);
	u->source_name[name_len] = '\0';
	u->name = xstrdup(u->source_name);
	for (i = 0; i < name_len; i++)
	{
		char c = u->name[i];

		if (c >= 'A' && c <= 'Z')
			u->name[i] = (char) (c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			u->name[i] = '_';
	}
	if (strcmp(u->name, u->source_name) != 0)
		buf_printf(&u->notes, "-- The source names it \"%s\".\n", u->source_name);
	return u;
}

void
import_text_set(struct import_text *t, const char *file, const char *from, size_t len,
				int first_line)
{
	t->file = xstrdup(file);
	t->sql = xmalloc(len + 1);
	memcpy(t->sql, from, len);
	t->sql[len] = '\0';
	t->len = len;
	t->first_line = first_line;
}

static void
text_free(struct import_text *t)
{
	free(t->file);
	free(t->sql);
}

void
import_set_free(struct import_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
	{
		struct import_unit *u = &set->units[i];

		free(u->version);
		free(u->name);
		free(u->source_name);
		text_free(&u->up);
		text_free(&u->down);
		buf_free(&u->notes);
		free(u->path);
		buf_free(&u->text);
	}
	free(set->units);
	set->units = NULL;
	set->n = 0;
}

/* ------------------------------------------------------ statement checks */

/* The file name, with its directory for diesel's <version>_<name>/up.sql. */
static const char *
base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *p;

	if (slash == NULL)
		return path;
	if (strcmp(slash, "/up.sql") != 0 && strcmp(slash, "/down.sql") != 0)
		return slash + 1;
	for (p = slash; p > path && p[-1] != '/'; p--)
		;
	return p;
}

enum txn_kind
{
	TXN_NONE,
	TXN_BEGIN,
	TXN_COMMIT,
	TXN_OTHER
};

static enum txn_kind
transaction_control(char w[][SQLSPLIT_WORD_MAX], int n)
{
	if (n == 0)
		return TXN_NONE;
	if (strcmp(w[0], "begin") == 0 ||
		(strcmp(w[0], "start") == 0 && n > 1 && strcmp(w[1], "transaction") == 0))
		return TXN_BEGIN;
	if (strcmp(w[0], "commit") == 0 || strcmp(w[0], "end") == 0)
		return TXN_COMMIT;
	if (strcmp(w[0], "rollback") == 0 || strcmp(w[0], "abort") == 0 ||
		strcmp(w[0], "savepoint") == 0 || strcmp(w[0], "release") == 0 ||
		(strcmp(w[0], "prepare") == 0 && n > 1 && strcmp(w[1], "transaction") == 0))
		return TXN_OTHER;
	return TXN_NONE;
}

/* What cannot run in a transaction block, or NULL. */
static const char *
needs_autocommit(char w[][SQLSPLIT_WORD_MAX], int n, const char *p, const char *end)
{
	int i = n > 1 && strcmp(w[1], "unique") == 0 ? 2 : 1;

	if (n > i + 1 && strcmp(w[0], "create") == 0 && strcmp(w[i], "index") == 0 &&
		strcmp(w[i + 1], "concurrently") == 0)
		return "CREATE INDEX CONCURRENTLY";
	if (n > 2 && strcmp(w[0], "drop") == 0 && strcmp(w[1], "index") == 0 &&
		strcmp(w[2], "concurrently") == 0)
		return "DROP INDEX CONCURRENTLY";
	if (n > 0 && strcmp(w[0], "reindex") == 0)
	{
		for (; p + 12 <= end; p++)
			if (strncasecmp(p, "concurrently", 12) == 0)
				return "REINDEX CONCURRENTLY";
	}
	if (n > 0 && strcmp(w[0], "vacuum") == 0)
		return "VACUUM";
	if (n > 1 && (strcmp(w[0], "create") == 0 || strcmp(w[0], "drop") == 0) &&
		strcmp(w[1], "database") == 0)
		return "CREATE or DROP DATABASE";
	if (n > 1 && strcmp(w[0], "alter") == 0 && strcmp(w[1], "system") == 0)
		return "ALTER SYSTEM";
	return NULL;
}

static bool
marker_line(const char *line, size_t len, void *arg)
{
	size_t i = 2;

	(void) arg;
	if (len < 2 || line[0] != '-' || line[1] != '-')
		return false;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return len - i >= 8 && strncmp(line + i, "migrate:", 8) == 0;
}

struct span
{
	size_t start;
	size_t end;
	int line;
	enum txn_kind txn;
};

/*
 * Checks one step: refuses what a .sql unit cannot hold, drops a
 * BEGIN ... COMMIT pair wrapping the whole step (noted), and marks the
 * unit no-transaction when a statement needs it (noted).
 */
static void
check_text(struct import_set *set, struct import_unit *u, struct import_text *t)
{
	struct sqlsplit s;
	enum sqlsplit_status st;
	struct span *list = NULL;
	size_t n = 0;
	size_t i;
	int line;

	sqlsplit_init(&s, t->sql, t->len, marker_line, NULL);
	while ((st = sqlsplit_next(&s)) != SQLSPLIT_END)
	{
		char w[4][SQLSPLIT_WORD_MAX];
		int nw;
		const char *why;

		line = t->first_line + s.line - 1;
		if (st == SQLSPLIT_MARKER)
			import_refuse(set, t->file, line,
						  "a line starting with \"-- migrate:\" would be read as a section marker");
		else if (st == SQLSPLIT_BACKSLASH)
			import_refuse(set, t->file, line,
						  "a psql meta-command (a backslash outside quotes) is not SQL");
		else if (st == SQLSPLIT_UNTERMINATED)
			import_refuse(set, t->file, line, "this %s does not end", s.what);
		if (st != SQLSPLIT_STATEMENT)
			continue;
		if (s.empty)
			continue;
		nw = sqlsplit_words(t->sql + s.start, s.end - s.start, w, 4);
		if (nw > 0 && strcmp(w[0], "copy") == 0 &&
			(memmem(t->sql + s.start, s.end - s.start, "stdin", 5) != NULL ||
			 memmem(t->sql + s.start, s.end - s.start, "STDIN", 5) != NULL))
			import_refuse(set, t->file, line, "COPY from STDIN needs psql's data lines");
		why = needs_autocommit(w, nw, t->sql + s.start, t->sql + s.end);
		if (why != NULL && !u->no_transaction)
		{
			u->no_transaction = true;
			buf_printf(&u->notes,
					   "-- Runs outside a transaction: %s (line %d of %s) cannot run in one.\n",
					   why, line, base_name(t->file));
		}
		list = xrealloc(list, sizeof(*list) * (n + 1));
		list[n].start = s.start;
		list[n].end = s.end;
		list[n].line = line;
		list[n++].txn = transaction_control(w, nw);
	}
	if (n >= 2 && list[0].txn == TXN_BEGIN && list[n - 1].txn == TXN_COMMIT)
	{
		/* the unit's own transaction replaces the wrapper: cut it out */
		size_t a0 = list[0].start, a1 = list[0].end;
		size_t b0 = list[n - 1].start, b1 = list[n - 1].end;
		struct buf b;

		list[0].txn = list[n - 1].txn = TXN_NONE;
		buf_init(&b);
		buf_append_len(&b, t->sql, a0);
		buf_append_len(&b, t->sql + a1, b0 - a1);
		buf_append_len(&b, t->sql + b1, t->len - b1);
		free(t->sql);
		t->len = b.len;
		t->sql = buf_detach(&b);
		buf_free(&b);
		buf_printf(&u->notes,
				   "-- The BEGIN/COMMIT around %s was dropped: the unit's own "
				   "transaction replaces it.\n",
				   base_name(t->file));
	}
	for (i = 0; i < n; i++)
		if (list[i].txn != TXN_NONE)
			import_refuse(set, t->file, list[i].line,
						  "transaction control inside a migration (only a BEGIN ... COMMIT "
						  "around the whole file can be imported)");
	free(list);
}

/* --------------------------------------------------------------- writing */

static void
render(const struct import_set *set, const struct import_unit *u, struct buf *out)
{
	buf_printf(out, "-- Imported from %s by \"migrate import\": %s", set->format,
			   base_name(u->up.file));
	if (u->down.sql != NULL && strcmp(u->down.file, u->up.file) != 0)
		buf_printf(out, ", %s", base_name(u->down.file));
	buf_append(out, ".\n");
	buf_append(out, u->notes.data);
	if (u->down.sql == NULL)
		buf_append(out, "-- The source has no down step: the unit is irreversible.\n");
	buf_printf(out, "-- migrate:up%s\n", u->no_transaction ? " transaction:false" : "");
	buf_append_len(out, u->up.sql, u->up.len);
	if (u->up.len > 0 && u->up.sql[u->up.len - 1] != '\n')
		buf_append_char(out, '\n');
	if (u->down.sql != NULL)
	{
		buf_append(out, "-- migrate:down\n");
		buf_append_len(out, u->down.sql, u->down.len);
		if (u->down.len > 0 && u->down.sql[u->down.len - 1] != '\n')
			buf_append_char(out, '\n');
	}
}

static int
compare_units(const void *a, const void *b)
{
	const struct import_unit *x = a;
	const struct import_unit *y = b;

	return x->value < y->value ? -1 : x->value > y->value;
}

/* Version 0 (diesel's initial setup) becomes 1 when 1 is free. */
static void
check_versions(struct import_set *set)
{
	size_t i;

	if (set->n > 1)
		qsort(set->units, set->n, sizeof(*set->units), compare_units);
	for (i = 0; i < set->n; i++)
	{
		struct import_unit *u = &set->units[i];

		if (u->value != 0)
			continue;
		if (i + 1 < set->n && set->units[i + 1].value == 1)
		{
			import_refuse(set, u->up.file, 0, "version 0 cannot become version 1, which %s has",
						  set->units[i + 1].up.file);
			continue;
		}
		free(u->version);
		u->version = xstrdup("1");
		u->value = 1;
		buf_printf(&u->notes, "-- The source numbers it 0; units start at 1.\n");
	}
	for (i = 1; i < set->n; i++)
		if (set->units[i].value == set->units[i - 1].value)
			import_refuse(set, set->units[i].up.file, 0, "%s has the same version",
						  set->units[i - 1].up.file);
}

/*
 * 1: a unit file for this version is already in dir and identical; 0:
 * none; -1 after a refusal.
 */
static int
existing(struct import_set *set, const char *dir, const struct import_unit *u, const char *path,
		 const struct buf *text)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && found == 0)
	{
		long long v;
		char name[256];
		const char *why;
		char *old;
		size_t len;
		char full[4096];

		if (unitname_parse(de->d_name, &v, name, sizeof(name), &why) != 0 || v != u->value)
			continue;
		snprintf(full, sizeof(full), "%s/%s", dir, de->d_name);
		if (strcmp(full, path) == 0 && import_read_file(full, &old, &len) == 0)
		{
			found = len == text->len && memcmp(old, text->data, len) == 0 ? 1 : -1;
			free(old);
		}
		else
			found = -1;
		if (found < 0)
			import_refuse(set, full, 0,
						  "a unit with version %lld is already there; it is "
						  "left as it is",
						  u->value);
	}
	closedir(d);
	return found;
}

static int
write_file(const char *path, const struct buf *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ssize_t w;

	if (fd < 0)
	{
		log_error("could not create \"%s\": %s", path, strerror(errno));
		return -1;
	}
	w = write(fd, text->data, text->len);
	if (w != (ssize_t) text->len || close(fd) != 0)
	{
		log_error("could not write \"%s\": %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

int
import_plan(struct import_set *set, const char *dir)
{
	size_t i;

	check_versions(set);
	for (i = 0; i < set->n; i++)
	{
		struct import_unit *u = &set->units[i];
		struct buf p;

		check_text(set, u, &u->up);
		if (u->down.sql != NULL)
			check_text(set, u, &u->down);
		buf_init(&u->text);
		render(set, u, &u->text);
		buf_init(&p);
		buf_printf(&p, "%s/%s_%s.sql", dir, u->version, u->name);
		u->path = buf_detach(&p);
		buf_free(&p);
		u->skip = existing(set, dir, u, u->path, &u->text);
	}
	if (set->errors > 0)
	{
		log_hint("nothing was written");
		return EXIT_USAGE;
	}
	return 0;
}

void
import_unwrite(struct import_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (set->units[i].created)
		{
			unlink(set->units[i].path);
			set->units[i].created = false;
		}
}

int
import_emit(struct import_set *set, const char *dir, bool json)
{
	size_t i;
	int written = 0;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
	{
		log_error("could not create directory \"%s\": %s", dir, strerror(errno));
		return EXIT_USAGE;
	}
	for (i = 0; i < set->n; i++)
	{
		struct import_unit *u = &set->units[i];

		if (u->skip == 1)
			continue;
		if (write_file(u->path, &u->text) != 0)
		{
			import_unwrite(set);
			log_hint("nothing was written");
			return EXIT_USAGE;
		}
		u->created = true;
		written++;
	}
	for (i = 0; i < set->n; i++)
	{
		struct buf b;

		if (!set->units[i].created)
			continue;
		buf_init(&b);
		if (json)
		{
			buf_append(&b, "{");
			json_member_string(&b, "event", "created");
			json_member_string(&b, "path", set->units[i].path);
			buf_append(&b, "}\n");
		}
		else
			buf_printf(&b, "%s\n", set->units[i].path);
		fputs(b.data, stdout);
		buf_free(&b);
	}
	if (!json)
		printf("import: %d written, %d unchanged, from %zu %s migrations\n", written,
			   (int) set->n - written, set->n, set->format);
	return 0;
}

int
import_write(struct import_set *set, const char *dir, bool json)
{
	int rc = import_plan(set, dir);

	return rc != 0 ? rc : import_emit(set, dir, json);
}
