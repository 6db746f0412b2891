/*
 * import_golang.c: reading a golang-migrate directory,
 * <version>_<name>.up.sql and <version>_<name>.down.sql.
 */
#include <stdlib.h>
#include <string.h>

#include "import.h"

/* <digits>_<name>.(up|down).sql: 1 up, 0 down, -1 another file. */
static int
parse_name(const char *file, char *version, size_t vsize, const char **name, size_t *name_len)
{
	size_t len = strlen(file);
	size_t digits = strspn(file, "0123456789");
	int up;

	if (len > 7 && strcmp(file + len - 7, ".up.sql") == 0)
		up = 1, len -= 7;
	else if (len > 9 && strcmp(file + len - 9, ".down.sql") == 0)
		up = 0, len -= 9;
	else
		return -1;
	if (digits == 0 || digits >= vsize || file[digits] != '_' || digits + 1 > len)
		return -1;
	memcpy(version, file, digits);
	version[digits] = '\0';
	*name = file + digits + 1;
	*name_len = len - digits - 1;
	return up;
}

static void
take_file(struct import_set *set, const char *dir, const char *file)
{
	char version[64];
	const char *name;
	size_t name_len;
	int up = parse_name(file, version, sizeof(version), &name, &name_len);
	struct import_unit *u;
	struct import_text *t;
	struct buf path;

	buf_init(&path);
	buf_printf(&path, "%s/%s", dir, file);
	if (up < 0)
	{
		import_refuse(set, path.data, 0,
					  "not a golang-migrate file name (<version>_<name>.up.sql or .down.sql)");
		buf_free(&path);
		return;
	}
	u = import_find(set, version);
	if (u == NULL)
		u = import_add(set, path.data, version, name, name_len);
	else if (strlen(u->source_name) != name_len || strncmp(u->source_name, name, name_len) != 0)
	{
		import_refuse(set, path.data, 0, "its name differs from the other file of version %s",
					  version);
		u = NULL;
	}
	if (u == NULL)
	{
		buf_free(&path);
		return;
	}
	t = up ? &u->up : &u->down;
	if (t->sql != NULL)
	{
		import_refuse(set, path.data, 0, "a second %s file for version %s", up ? "up" : "down",
					  version);
		buf_free(&path);
		return;
	}
	t->first_line = 1;
	t->file = buf_detach(&path);
	buf_free(&path);
	if (import_read_file(t->file, &t->sql, &t->len) != 0)
		import_refuse(set, t->file, 0, "could not read the file");
}

/* golang-migrate reads only <version>_<name>.<up|down>.<ext> */
static void
take_sql_file(struct import_set *set, const char *dir, const char *file)
{
	size_t len = strlen(file);

	if (len >= 4 && strcmp(file + len - 4, ".sql") == 0)
		take_file(set, dir, file);
}

int
import_golang_read(const char *dir, struct import_set *set)
{
	size_t i;

	if (import_each_entry(set, dir, take_sql_file) != 0)
		return -1;
	for (i = 0; i < set->n; i++)
		if (set->units[i].up.sql == NULL && set->units[i].down.file != NULL)
			import_refuse(set, set->units[i].down.file, 0, "a down file without its up file");
	return set->errors > 0 ? -1 : 0;
}
