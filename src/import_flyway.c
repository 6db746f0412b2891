/*
 * import_flyway.c: reading a Flyway directory, V<version>__<desc>.sql and
 * their undo scripts U<version>__<desc>.sql.  Only integer versions fit a
 * unit's version; repeatable scripts (R__), per-script configuration
 * (.sql.conf) and placeholders (${...}, which Flyway replaces) are
 * refused.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* Flyway replaces ${name} everywhere in a script, quotes or not. */
static void
check_placeholders(struct import_set *set, const struct import_text *t)
{
	const char *p = t->sql;
	const char *end = t->sql + t->len;
	int line = 1;

	for (; p + 1 < end; p++)
	{
		if (*p == '\n')
			line++;
		else if (p[0] == '$' && p[1] == '{')
		{
			import_refuse(set, t->file, line, "a Flyway placeholder, which Flyway would replace");
			return;
		}
	}
}

static void
take_file(struct import_set *set, const char *dir, const char *file, struct import_text **undo)
{
	size_t len = strlen(file);
	const char *sep = strstr(file, "__");
	char version[64];
	size_t vlen;
	struct import_unit *u;
	struct import_text *t;
	struct buf path;

	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, file);
	if (len > 9 && strcmp(file + len - 9, ".sql.conf") == 0)
		import_refuse(set, path.data, 0, "per-script configuration cannot be imported");
	else if (len < 5 || strcmp(file + len - 4, ".sql") != 0)
		; /* not a script */
	else if (file[0] == 'R')
		import_refuse(set, path.data, 0, "a repeatable migration has no version");
	else if ((file[0] != 'V' && file[0] != 'U') || sep == NULL || sep == file + 1 ||
			 (vlen = (size_t) (sep - file - 1)) >= sizeof(version))
		import_refuse(set, path.data, 0, "not a Flyway file name (V<version>__<desc>.sql)");
	else
	{
		memcpy(version, file + 1, vlen);
		version[vlen] = '\0';
		if (strspn(version, "0123456789") != vlen)
			import_refuse(set, path.data, 0, "version %s is not an integer", version);
		else if (file[0] == 'V')
		{
			u = import_find(set, version);
			if (u != NULL && u->up.file != NULL)
				import_refuse(set, path.data, 0, "a second script for version %s", version);
			if (u == NULL)
				u = import_add(set, path.data, version, sep + 2,
							   (size_t) (file + len - 4 - sep - 2));
			if (u != NULL && u->up.file == NULL)
			{
				t = &u->up;
				t->file = xstrdup(path.data);
				t->first_line = 1;
				if (import_read_file(t->file, &t->sql, &t->len) != 0)
					import_refuse(set, t->file, 0, "could not read the file");
				else
					check_placeholders(set, t);
			}
		}
		else
		{
			/* undo scripts are matched with their version after the scan */
			t = &(*undo)[0];
			t->file = xstrdup(path.data);
			t->first_line = 1;
			t->sql = xstrdup(version); /* the version, until matched */
			*undo = t + 1;
		}
	}
	buf_free(&path);
}

int
import_flyway_read(const char *dir, struct import_set *set)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct import_text *undo;
	struct import_text *next;
	struct import_text *t;
	size_t count = 0;

	if (d == NULL)
	{
		import_refuse(set, dir, 0, "could not open the directory");
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		count++;
	rewinddir(d);
	undo = xcalloc(count + 1, sizeof(*undo));
	next = undo;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			take_file(set, dir, de->d_name, &next);
	closedir(d);
	for (t = undo; t < next; t++)
	{
		struct import_unit *u = import_find(set, t->sql);

		if (u == NULL || u->up.file == NULL)
			import_refuse(set, t->file, 0, "an undo script without its versioned script");
		else
		{
			free(t->sql);
			t->sql = NULL;
			u->down.file = t->file;
			t->file = NULL;
			u->down.first_line = 1;
			if (import_read_file(u->down.file, &u->down.sql, &u->down.len) != 0)
				import_refuse(set, u->down.file, 0, "could not read the file");
			else
				check_placeholders(set, &u->down);
		}
		free(t->file);
		free(t->sql);
	}
	free(undo);
	return set->errors > 0 ? -1 : 0;
}
