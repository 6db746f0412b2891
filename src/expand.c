/*
 * expand.c: variable references in configuration values.
 *
 * A small recursive-descent reader over the value: literal text, "$$",
 * "${NAME}" and "${NAME:-word}", where word may hold references of its own.
 * The same walk checks the syntax when nothing is to be looked up, so that
 * an unused default is still parsed but its variables are never read.
 */
#include "expand.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Deeper nesting of defaults than this is surely a mistake. */
#define EXPAND_MAX_DEPTH 16

struct expander
{
	const char *text; /* the whole value, for offsets */
	expand_lookup_fn lookup; /* NULL: check the syntax only */
	void *arg;
	struct buf out;
	struct expand_error *err;
	int depth;
};

static const char *expand_seq(struct expander *ex, const char *p, bool in_default, bool emit);
static const char *expand_fail(struct expander *ex, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

bool
expand_is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

bool
expand_is_name_char(char c)
{
	return expand_is_name_start(c) || (c >= '0' && c <= '9');
}

static const char *
expand_fail(struct expander *ex, const char *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ex->err->message = xvasprintf(fmt, ap);
	va_end(ap);
	ex->err->offset = (size_t) (at - ex->text);
	return NULL;
}

/* Appends the value of NAME, or fails when it is not set. */
static bool
expand_plain(struct expander *ex, const char *dollar, const char *name)
{
	const char *value = ex->lookup(name, ex->arg);

	if (value == NULL)
	{
		expand_fail(ex, dollar, "environment variable \"%s\" is not set", name);
		ex->err->variable = xstrdup(name);
		return false;
	}
	buf_append(&ex->out, value);
	return true;
}

/*
 * "${NAME:-word}" with p at the word: the value when set and not empty,
 * else the word.  Returns the position after the closing brace.
 */
static const char *
expand_default(struct expander *ex, const char *dollar, const char *name, const char *p, bool emit)
{
	const char *value = NULL;
	bool use_word;

	if (++ex->depth > EXPAND_MAX_DEPTH)
		return expand_fail(ex, dollar, "too many nested \"${...:-...}\"");
	if (emit)
		value = ex->lookup(name, ex->arg);
	use_word = emit && (value == NULL || value[0] == '\0');
	p = expand_seq(ex, p, true, use_word);
	ex->depth--;
	if (p == NULL)
		return NULL;
	if (*p != '}')
		return expand_fail(ex, dollar, "unterminated \"${%s:-\": missing \"}\"", name);
	if (emit && !use_word)
		buf_append(&ex->out, value);
	return p + 1;
}

/* "${...}" with dollar at the "$".  Returns the position after it. */
static const char *
expand_braced(struct expander *ex, const char *dollar, bool emit)
{
	const char *p = dollar + 2;
	const char *end = p;
	char *name;
	bool good = true;

	if (!expand_is_name_start(*p))
		return expand_fail(ex, dollar,
						   *p == '}' ? "empty variable name in \"${}\""
									 : "\"${\" must be followed by a variable name");
	while (expand_is_name_char(*end))
		end++;
	name = xmalloc((size_t) (end - p) + 1);
	memcpy(name, p, (size_t) (end - p));
	name[end - p] = '\0';
	if (*end == '}')
	{
		if (emit)
			good = expand_plain(ex, dollar, name);
		end = good ? end + 1 : NULL;
	}
	else if (end[0] == ':' && end[1] == '-')
		end = expand_default(ex, dollar, name, end + 2, emit);
	else if (*end == '\0')
		end = expand_fail(ex, dollar, "unterminated \"${%s\": missing \"}\"", name);
	else
		end = expand_fail(ex, dollar, "unsupported \"${%s%c...\": write ${%s} or ${%s:-default}",
						  name, *end, name, name);
	free(name);
	return end;
}

/* One "$" construct at p.  Returns the position after it. */
static const char *
expand_dollar(struct expander *ex, const char *p, bool emit)
{
	const char *end;

	if (p[1] == '$')
	{
		if (emit)
			buf_append_char(&ex->out, '$');
		return p + 2;
	}
	if (p[1] == '{')
		return expand_braced(ex, p, emit);
	if (expand_is_name_start(p[1]))
	{
		for (end = p + 1; expand_is_name_char(*end); end++)
			;
		return expand_fail(ex, p,
						   "\"$%.*s\" needs braces: write ${%.*s}, or $$ for a literal \"$\"",
						   (int) (end - p - 1), p + 1, (int) (end - p - 1), p + 1);
	}
	if (emit)
		buf_append_char(&ex->out, '$');
	return p + 1;
}

/*
 * Literal text and references up to the end of the text or, inside a
 * default word, up to its closing brace.  Appends to the output only when
 * emit is set.  Returns where it stopped, or NULL after an error.
 */
static const char *
expand_seq(struct expander *ex, const char *p, bool in_default, bool emit)
{
	while (p != NULL && *p != '\0')
	{
		if (in_default && *p == '}')
			break;
		if (*p == '$')
			p = expand_dollar(ex, p, emit);
		else
		{
			if (emit)
				buf_append_char(&ex->out, *p);
			p++;
		}
	}
	return p;
}

int
expand_vars(const char *text, expand_lookup_fn lookup, void *arg, char **out,
			struct expand_error *err)
{
	struct expander ex;
	const char *end;

	memset(err, 0, sizeof(*err));
	memset(&ex, 0, sizeof(ex));
	ex.text = text;
	ex.lookup = lookup;
	ex.arg = arg;
	ex.err = err;
	buf_init(&ex.out);
	*out = NULL;
	end = expand_seq(&ex, text, false, lookup != NULL);
	if (end == NULL)
	{
		buf_free(&ex.out);
		return -1;
	}
	if (lookup != NULL)
		*out = buf_detach(&ex.out);
	buf_free(&ex.out);
	return 0;
}

void
expand_error_free(struct expand_error *err)
{
	if (err == NULL)
		return;
	free(err->message);
	free(err->variable);
	memset(err, 0, sizeof(*err));
}

int
expand_needed(const char *text)
{
	return text != NULL && strchr(text, '$') != NULL;
}
