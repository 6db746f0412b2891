/*
 * dotenv.c: the ./.env file, line by line.
 *
 * Values in .env are secrets as often as not, so no message here ever
 * quotes a line, a value or even a would-be name: only the line number and
 * what was expected.
 */
#include "dotenv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expand.h"
#include "log.h"

/* One line being read: [p, end) with the value collected in value. */
struct dotenv_line
{
	const char *start;
	const char *p;
	const char *end;
	struct buf value;
	const char *error; /* static text, set on failure */
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
skip_blanks(struct dotenv_line *ln)
{
	while (ln->p < ln->end && is_blank(*ln->p))
		ln->p++;
}

/* After a closing quote only blanks and a comment may follow. */
static bool
expect_line_end(struct dotenv_line *ln)
{
	skip_blanks(ln);
	if (ln->p < ln->end && *ln->p != '#')
	{
		ln->error = "unexpected text after the closing quote";
		return false;
	}
	return true;
}

static bool
read_single_quoted(struct dotenv_line *ln)
{
	const char *close = memchr(ln->p + 1, '\'', (size_t) (ln->end - ln->p - 1));

	if (close == NULL)
	{
		ln->error = "unterminated single-quoted value";
		return false;
	}
	buf_append_len(&ln->value, ln->p + 1, (size_t) (close - ln->p - 1));
	ln->p = close + 1;
	return expect_line_end(ln);
}

static char
unescape(char c)
{
	switch (c)
	{
		case 'n':
			return '\n';
		case 'r':
			return '\r';
		case 't':
			return '\t';
		case '"':
		case '\\':
		case '$':
			return c;
		default:
			return '\0';
	}
}

static bool
read_double_quoted(struct dotenv_line *ln)
{
	for (ln->p++; ln->p < ln->end; ln->p++)
	{
		char c = *ln->p;

		if (c == '"')
		{
			ln->p++;
			return expect_line_end(ln);
		}
		if (c == '\\' && ln->p + 1 < ln->end)
		{
			char u = unescape(*++ln->p);

			/* like the shell, keep a backslash that escapes nothing */
			if (u == '\0')
				buf_append_char(&ln->value, '\\');
			c = u ? u : *ln->p;
		}
		buf_append_char(&ln->value, c);
	}
	ln->error = "unterminated double-quoted value";
	return false;
}

/* An unquoted value ends at a "#" that follows a blank, or at the end. */
static bool
read_unquoted(struct dotenv_line *ln)
{
	const char *q = ln->p;
	const char *last;

	while (q < ln->end && !(*q == '#' && q > ln->start && is_blank(q[-1])))
		q++;
	last = q;
	while (last > ln->p && is_blank(last[-1]))
		last--;
	buf_append_len(&ln->value, ln->p, (size_t) (last - ln->p));
	ln->p = ln->end;
	return true;
}

/* NAME, after an optional "export ", then "=".  Sets *name on success. */
static bool
read_name(struct dotenv_line *ln, char **name)
{
	const char *n;

	if (ln->end - ln->p > 7 && memcmp(ln->p, "export", 6) == 0 && is_blank(ln->p[6]))
	{
		ln->p += 6;
		skip_blanks(ln);
	}
	n = ln->p;
	if (ln->p >= ln->end || !expand_is_name_start(*ln->p))
	{
		ln->error =
			"expected NAME=VALUE, NAME being a letter or \"_\" then letters, digits or \"_\"";
		return false;
	}
	while (ln->p < ln->end && expand_is_name_char(*ln->p))
		ln->p++;
	*name = xmalloc((size_t) (ln->p - n) + 1);
	memcpy(*name, n, (size_t) (ln->p - n));
	(*name)[ln->p - n] = '\0';
	skip_blanks(ln);
	if (ln->p >= ln->end || *ln->p != '=')
	{
		ln->error = "expected \"=\" after the variable name";
		free(*name);
		*name = NULL;
		return false;
	}
	ln->p++;
	skip_blanks(ln);
	return true;
}

/*
 * One line of n bytes (without its LF).  Returns 1 with *entry filled, 0
 * for a blank or comment line, -1 with *error set.
 */
static int
parse_line(const char *s, size_t n, struct dotenv_entry *entry, const char **error)
{
	struct dotenv_line ln = {s, s, s + n, {NULL, 0, 0}, NULL};
	char *name = NULL;
	bool good;

	if (n > 0 && s[n - 1] == '\r')
		ln.end--;
	if (memchr(s, '\0', n) != NULL)
	{
		*error = "line holds a NUL byte";
		return -1;
	}
	skip_blanks(&ln);
	if (ln.p == ln.end || *ln.p == '#')
		return 0;
	if (!read_name(&ln, &name))
	{
		*error = ln.error;
		return -1;
	}
	buf_init(&ln.value);
	if (ln.p < ln.end && *ln.p == '\'')
		good = read_single_quoted(&ln);
	else if (ln.p < ln.end && *ln.p == '"')
		good = read_double_quoted(&ln);
	else
		good = read_unquoted(&ln);
	if (!good)
	{
		*error = ln.error;
		free(name);
		buf_free(&ln.value);
		return -1;
	}
	entry->name = name;
	entry->value = buf_detach(&ln.value);
	buf_free(&ln.value);
	return 1;
}

int
dotenv_parse(const char *text, size_t len, struct dotenv *env, int *err_line, char **err_msg)
{
	size_t pos = 0;
	int line = 0;

	memset(env, 0, sizeof(*env));
	while (pos < len)
	{
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t) (nl - (text + pos)) : len - pos;
		struct dotenv_entry entry = {NULL, NULL, ++line};
		const char *error = NULL;
		int rc = parse_line(text + pos, n, &entry, &error);

		pos += n + (nl != NULL);
		if (rc < 0)
		{
			dotenv_free(env);
			*err_line = line;
			*err_msg = xstrdup(error);
			return -1;
		}
		if (rc == 0)
			continue;
		env->entries = xrealloc(env->entries, (env->count + 1) * sizeof(entry));
		env->entries[env->count++] = entry;
	}
	return 0;
}

void
dotenv_free(struct dotenv *env)
{
	size_t i;

	if (env == NULL)
		return;
	for (i = 0; i < env->count; i++)
	{
		free(env->entries[i].name);
		free(env->entries[i].value);
	}
	free(env->entries);
	env->entries = NULL;
	env->count = 0;
}

/* The whole file; returns 0, or an errno value. */
static int
read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;
	int err;

	if (f == NULL)
		return errno;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append_len(&b, chunk, n);
	err = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	*len = b.len;
	*text = buf_detach(&b);
	buf_free(&b);
	if (err)
	{
		free(*text);
		*text = NULL;
	}
	return err;
}

/* Sets what the environment lacks; the last of several same names wins. */
static void
dotenv_apply(const struct dotenv *env)
{
	size_t i, j;

	for (i = 0; i < env->count; i++)
	{
		bool later = false;

		for (j = i + 1; j < env->count && !later; j++)
			later = strcmp(env->entries[i].name, env->entries[j].name) == 0;
		if (!later)
			setenv(env->entries[i].name, env->entries[i].value, 0);
	}
}

int
dotenv_load(const char *path)
{
	const char *shown = strncmp(path, "./", 2) == 0 ? path + 2 : path;
	struct dotenv env;
	char *text = NULL;
	char *msg = NULL;
	size_t len = 0;
	int line = 0;
	int err = read_file(path, &text, &len);

	if (err == ENOENT)
		return 0;
	if (err != 0)
	{
		log_error("could not read \"%s\": %s", shown, strerror(err));
		return 2;
	}
	if (dotenv_parse(text, len, &env, &line, &msg) != 0)
	{
		char where[512];

		snprintf(where, sizeof(where), "%s:%d", shown, line);
		log_error_at(where, "%s", msg);
		free(msg);
		free(text);
		return 2;
	}
	dotenv_apply(&env);
	dotenv_free(&env);
	free(text);
	return 0;
}
