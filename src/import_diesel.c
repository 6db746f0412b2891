/*
 * import_diesel.c: reading a diesel directory of <version>_<name>/
 * directories holding up.sql, down.sql and metadata.toml.  diesel's
 * version is the name's part before the first "_" with its dashes taken
 * out (2017-11-08-201010 is 20171108201010); its initial setup is
 * version 0.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import.h"

/* run_in_transaction = false in metadata.toml */
static bool
runs_outside_transaction(const char *path)
{
	char *text;
	size_t len;
	bool off = false;
	char *p;

	if (import_read_file(path, &text, &len) != 0)
		return false;
	for (p = text; (p = strstr(p, "run_in_transaction")) != NULL; p++)
	{
		const char *q = p + 18;

		q += strspn(q, " \t");
		if (*q == '=')
		{
			q++;
			q += strspn(q, " \t");
			off = strncmp(q, "false", 5) == 0;
		}
	}
	free(text);
	return off;
}

static void
read_step(struct import_set *set, struct import_text *t, const char *path)
{
	t->file = xstrdup(path);
	t->first_line = 1;
	if (import_read_file(path, &t->sql, &t->len) != 0)
		import_refuse(set, path, 0, "could not read the file");
}

static void
take_dir(struct import_set *set, const char *dir, const char *name)
{
	const char *us = strchr(name, '_');
	char version[64];
	size_t n = 0;
	const char *p;
	struct import_unit *u;
	struct buf path;
	struct stat stt;

	buf_init(&path);
	for (p = name; us != NULL && p < us && n + 1 < sizeof(version); p++)
		if (*p != '-')
			version[n++] = *p;
	version[n] = '\0';
	buf_printf(&path, "%s/%s", dir, name);
	if (us == NULL || n == 0)
		import_refuse(set, path.data, 0, "not a diesel migration name (<version>_<name>)");
	else if ((u = import_add(set, path.data, version, us + 1, strlen(us + 1))) != NULL)
	{
		buf_printf(&path, "/up.sql");
		read_step(set, &u->up, path.data);
		buf_reset(&path);
		buf_printf(&path, "%s/%s/down.sql", dir, name);
		if (stat(path.data, &stt) == 0)
			read_step(set, &u->down, path.data);
		buf_reset(&path);
		buf_printf(&path, "%s/%s/metadata.toml", dir, name);
		if (runs_outside_transaction(path.data))
		{
			u->no_transaction = true;
			buf_append(&u->notes, "-- The source sets run_in_transaction = false.\n");
		}
	}
	buf_free(&path);
}

/* diesel reads directories only (a .keep file is no migration) */
static void
take_entry(struct import_set *set, const char *dir, const char *name)
{
	struct buf path;
	struct stat st;

	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, name);
	if (stat(path.data, &st) == 0 && S_ISDIR(st.st_mode))
		take_dir(set, dir, name);
	buf_free(&path);
}

int
import_diesel_read(const char *dir, struct import_set *set)
{
	if (import_each_entry(set, dir, take_entry) != 0)
		return -1;
	return set->errors > 0 ? -1 : 0;
}
