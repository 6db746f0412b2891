/*
 * cfg_yaml.c: the one module that talks to libyaml.
 *
 * libyaml's events are turned into a tree of plain nodes at once: each
 * scalar is copied out with its position and the event deleted, so that
 * nothing else handles libyaml memory (as pgBackRest's yaml.c does).  The
 * configuration is a few dozen nodes, so a tree costs nothing and lets the
 * checks walk it in any order.
 *
 * Located messages print the offending line and a caret, in the manner of
 * netplan's error.c, with a plain word for the usual mistakes.
 */
#include "cfg_yaml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "buf.h"
#include "log.h"

/* Deeper than any migrate.yaml; bounds the recursion below. */
#define CY_MAX_DEPTH 32

struct cy_parser
{
	yaml_parser_t parser;
	const struct cy_source *src;
};

static int build_node(struct cy_parser *cp, yaml_event_t *ev, struct cy_node *node, int depth);
static int event_error(struct cy_parser *cp, yaml_event_t *ev, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------- source lines */

/* Length of the line break at p (CRLF, CR, LF, NEL, LS, PS), else 0. */
static size_t
break_len(const unsigned char *p, const unsigned char *end)
{
	if (*p == '\n')
		return 1;
	if (*p == '\r')
		return (p + 1 < end && p[1] == '\n') ? 2 : 1;
	if (*p == 0xC2 && p + 1 < end && p[1] == 0x85)
		return 2;
	if (*p == 0xE2 && p + 2 < end && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
		return 3;
	return 0;
}

/*
 * Finds 1-based line in the text, counting breaks as libyaml does and
 * leaving out a byte order mark.  Returns false when there is no such line
 * or when it is the empty end of the text.
 */
static bool
find_line(const struct cy_source *src, int line, const char **start, size_t *len)
{
	const unsigned char *p = (const unsigned char *) src->text;
	const unsigned char *end = p + src->len;
	const unsigned char *s;
	int n = 1;

	if (src->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (n < line && p < end)
	{
		size_t b = break_len(p, end);

		p += b ? b : 1;
		n += b != 0;
	}
	if (n != line || line < 1 || (p == end && line > 1))
		return false;
	for (s = p; s < end && break_len(s, end) == 0; s++)
		;
	*start = (const char *) p;
	*len = (size_t) (s - p);
	return true;
}

#define PASSWORD_MASK "********"

/* Characters (not bytes) in s[0..n-1]. */
static int
char_count(const char *s, size_t n)
{
	int c = 0;
	size_t i;

	for (i = 0; i < n; i++)
		c += ((unsigned char) s[i] & 0xC0) != 0x80;
	return c;
}

/*
 * Where the next password in line[from..len-1] starts and how long it is:
 * that of "scheme://user:password@" or of "password=...".  Returns false
 * when there is none.
 */
static bool
next_password(const char *line, size_t len, size_t from, size_t *start, size_t *n)
{
	size_t i;

	for (i = from; i < len; i++)
	{
		if (i + 3 <= len && memcmp(line + i, "://", 3) == 0)
		{
			size_t u = i + 3;
			size_t at = u;
			size_t colon = 0;

			while (at < len && strchr("@/?# \t\"'", line[at]) == NULL)
			{
				if (line[at] == ':' && colon == 0)
					colon = at;
				at++;
			}
			if (at < len && line[at] == '@' && colon != 0)
			{
				*start = colon + 1;
				*n = at - colon - 1;
				return true;
			}
		}
		if (i + 9 <= len && strncasecmp(line + i, "password=", 9) == 0)
		{
			*start = i + 9;
			*n = 0;
			while (*start + *n < len && strchr(" \t&'\"", line[*start + *n]) == NULL)
				(*n)++;
			return true;
		}
	}
	return false;
}

/*
 * A copy of the line with every password replaced by a mask of fixed
 * length (so that the mask does not tell the password's length); *column
 * (1-based, in characters) moves with the text after a mask.
 */
static char *
mask_passwords(const char *line, size_t len, int *column)
{
	struct buf b;
	size_t pos = 0;
	size_t start;
	size_t n;
	int col = 1;
	char *copy;

	buf_init(&b);
	while (next_password(line, len, pos, &start, &n))
	{
		buf_append_len(&b, line + pos, start - pos);
		col += char_count(line + pos, start - pos);
		if (col <= *column && col + char_count(line + start, n) <= *column)
			*column += (int) strlen(PASSWORD_MASK) - char_count(line + start, n);
		buf_append(&b, PASSWORD_MASK);
		col += char_count(line + start, n);
		pos = start + n;
	}
	buf_append_len(&b, line + pos, len - pos);
	copy = buf_detach(&b);
	buf_free(&b);
	return copy;
}

static void
print_source_line(const struct cy_source *src, int line, int column)
{
	const char *start;
	size_t len, i;
	char *copy;
	int col = 1;

	if (!find_line(src, line, &start, &len))
		return;
	copy = mask_passwords(start, len, &column);
	len = strlen(copy);
	for (i = 0; i < len; i++)
		if ((unsigned char) copy[i] < 0x20 && copy[i] != '\t')
			copy[i] = '?';
	fprintf(stderr, "%s\n", copy);
	/* one blank per character, keeping tabs so that the caret lines up */
	for (i = 0; i < len && col < column; i++)
	{
		if (((unsigned char) copy[i] & 0xC0) == 0x80)
			continue;
		fputc(copy[i] == '\t' ? '\t' : ' ', stderr);
		col++;
	}
	for (; col < column; col++)
		fputc(' ', stderr);
	fputs("^\n", stderr);
	free(copy);
}

static void
cy_vreport(const struct cy_source *src, int line, int column, const char *fmt, va_list ap)
{
	char where[512];

	snprintf(where, sizeof(where), "%s:%d:%d", src->name, line, column);
	log_verror_at(where, fmt, ap);
	print_source_line(src, line, column);
}

void
cy_report(const struct cy_source *src, int line, int column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cy_vreport(src, line, column, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------ syntax errors */

/* Whether the blanks that start the line hold a tab; sets its column. */
static bool
indented_with_tab(const struct cy_source *src, int line, int *column)
{
	const char *start;
	size_t len, i;

	if (!find_line(src, line, &start, &len))
		return false;
	for (i = 0; i < len && (start[i] == ' ' || start[i] == '\t'); i++)
	{
		if (start[i] == '\t')
		{
			*column = (int) i + 1;
			return true;
		}
	}
	return false;
}

/* A word of advice for the mistakes people make most. */
static const char *
syntax_hint(const char *problem)
{
	if (strstr(problem, "mapping values are not allowed") != NULL)
		return "quote a value that holds \": \", or check the indentation";
	if (strstr(problem, "did not find expected key") != NULL)
		return "check the indentation of this line against the lines above";
	if (strstr(problem, "could not find expected ':'") != NULL)
		return "a key needs \": \" after it, and a value that goes on needs quotes";
	if (strstr(problem, "cannot start any token") != NULL)
		return "quote a value that starts with \"@\", \"`\" or \"%\"";
	return NULL;
}

static void
report_syntax_error(const struct cy_parser *cp)
{
	const yaml_parser_t *p = &cp->parser;
	int line = (int) p->problem_mark.line + 1;
	int column = (int) p->problem_mark.column + 1;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	const char *hint = syntax_hint(problem);

	if (p->error != YAML_READER_ERROR && indented_with_tab(cp->src, line, &column))
	{
		cy_report(cp->src, line, column, "tabs are not allowed for indentation; use spaces");
		return;
	}
	if (p->context != NULL && strstr(p->context, "quoted scalar") != NULL &&
		strstr(problem, "end of stream") != NULL)
	{
		/* where the quote opens says more than the end of the file */
		cy_report(cp->src, (int) p->context_mark.line + 1, (int) p->context_mark.column + 1,
				  "this quoted value has no closing quote");
		return;
	}
	if (p->error == YAML_READER_ERROR)
	{
		/* the reader gives a byte offset only */
		log_error_at(cp->src->name, "%s at byte %zu", problem, p->problem_offset);
		return;
	}
	cy_report(cp->src, line, column, "%s", problem);
	if (p->context != NULL && (p->context_mark.line != p->problem_mark.line ||
							   p->context_mark.column != p->problem_mark.column))
		log_detail("%s at line %d, column %d", p->context, (int) p->context_mark.line + 1,
				   (int) p->context_mark.column + 1);
	if (hint != NULL)
		log_hint("%s", hint);
}

/* Next event, or -1 after reporting a syntax error. */
static int
next_event(struct cy_parser *cp, yaml_event_t *ev)
{
	if (yaml_parser_parse(&cp->parser, ev))
		return 0;
	report_syntax_error(cp);
	return -1;
}

/* Reports at an event's start and deletes the event.  Returns -1. */
static int
event_error(struct cy_parser *cp, yaml_event_t *ev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cy_vreport(cp->src, (int) ev->start_mark.line + 1, (int) ev->start_mark.column + 1, fmt, ap);
	va_end(ap);
	yaml_event_delete(ev);
	return -1;
}

/* ---------------------------------------------------------- the tree */

static void
free_children(struct cy_node *node)
{
	size_t i;

	for (i = 0; i < node->count; i++)
	{
		free(node->children[i].text);
		free_children(&node->children[i]);
	}
	free(node->children);
	node->children = NULL;
	node->count = 0;
}

void
cy_free(struct cy_node *root)
{
	if (root == NULL)
		return;
	free(root->text);
	free_children(root);
	free(root);
}

const char *
cy_kind_name(const struct cy_node *node)
{
	if (node->kind == CY_MAPPING)
		return "a mapping";
	if (node->kind == CY_SEQUENCE)
		return "a sequence";
	return node->is_null ? "empty" : "a scalar";
}

static size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, chars = 0;

	for (i = 0; i < n; i++)
		chars += ((unsigned char) s[i] & 0xC0) != 0x80;
	return chars;
}

/*
 * Where text[0] is on the line, when the scalar was written on one line
 * with no escapes or folding, so that a column inside it can be given.
 */
static int
text_column(const yaml_event_t *ev)
{
	const yaml_mark_t *a = &ev->start_mark;
	const yaml_mark_t *b = &ev->end_mark;
	size_t quotes = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? 0 : 2;
	size_t chars = utf8_chars((const char *) ev->data.scalar.value, ev->data.scalar.length);

	if (a->line != b->line || b->index - a->index != chars + quotes)
		return 0;
	if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE &&
		ev->data.scalar.style != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
		ev->data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		return 0;
	return (int) a->column + 1 + (quotes ? 1 : 0);
}

static bool
plain_null(const char *s, size_t len)
{
	return len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
		   strcmp(s, "NULL") == 0;
}

static int
build_scalar(struct cy_parser *cp, yaml_event_t *ev, struct cy_node *node)
{
	const char *value = (const char *) ev->data.scalar.value;
	size_t len = ev->data.scalar.length;

	if (strlen(value) != len)
		return event_error(cp, ev, "a value holds a NUL character");
	node->kind = CY_SCALAR;
	node->text = xmalloc(len + 1);
	memcpy(node->text, value, len + 1);
	node->is_null = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && plain_null(value, len);
	node->text_column = text_column(ev);
	yaml_event_delete(ev);
	return 0;
}

/* Children of a mapping or sequence, up to its end event. */
static int
build_collection(struct cy_parser *cp, yaml_event_t *ev, struct cy_node *node, int depth)
{
	yaml_event_type_t end =
		ev->type == YAML_MAPPING_START_EVENT ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
	size_t cap = 0;

	node->kind = ev->type == YAML_MAPPING_START_EVENT ? CY_MAPPING : CY_SEQUENCE;
	if (depth >= CY_MAX_DEPTH)
		return event_error(cp, ev, "nesting is too deep");
	yaml_event_delete(ev);
	for (;;)
	{
		struct cy_node child;

		if (next_event(cp, ev) != 0)
			return -1;
		if (ev->type == end)
			break;
		memset(&child, 0, sizeof(child));
		if (build_node(cp, ev, &child, depth + 1) != 0)
		{
			free(child.text);
			free_children(&child);
			return -1;
		}
		if (node->count == cap)
		{
			cap = cap ? cap * 2 : 8;
			node->children = xrealloc(node->children, cap * sizeof(child));
		}
		node->children[node->count++] = child;
	}
	yaml_event_delete(ev);
	return 0;
}

/*
 * Fills node from ev, which it deletes, and from the events that follow.
 * On failure node may hold children: the caller frees it.
 */
static int
build_node(struct cy_parser *cp, yaml_event_t *ev, struct cy_node *node, int depth)
{
	node->line = (int) ev->start_mark.line + 1;
	node->column = (int) ev->start_mark.column + 1;
	switch (ev->type)
	{
		case YAML_SCALAR_EVENT:
			return build_scalar(cp, ev, node);
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			return build_collection(cp, ev, node, depth);
		case YAML_ALIAS_EVENT:
			return event_error(cp, ev, "aliases (\"*%s\") are not supported here",
							   (const char *) ev->data.alias.anchor);
		default:
			return event_error(cp, ev, "unexpected YAML event");
	}
}

/* ------------------------------------------------------- the document */

/*
 * After the document: only the end of the stream may follow.  Returns 0,
 * or -1 after reporting.
 */
static int
expect_stream_end(struct cy_parser *cp)
{
	yaml_event_t ev;

	if (next_event(cp, &ev) != 0)
		return -1;
	if (ev.type == YAML_DOCUMENT_END_EVENT)
	{
		yaml_event_delete(&ev);
		if (next_event(cp, &ev) != 0)
			return -1;
	}
	if (ev.type != YAML_STREAM_END_EVENT)
		return event_error(cp, &ev, "only one YAML document is allowed");
	yaml_event_delete(&ev);
	return 0;
}

/* The document's root node, or NULL for a stream with no document. */
static int
parse_document(struct cy_parser *cp, struct cy_node **root)
{
	yaml_event_t ev;
	struct cy_node *node;

	if (next_event(cp, &ev) != 0)
		return -1;
	yaml_event_delete(&ev); /* the stream start */
	if (next_event(cp, &ev) != 0)
		return -1;
	if (ev.type == YAML_STREAM_END_EVENT)
	{
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev); /* the document start */
	if (next_event(cp, &ev) != 0)
		return -1;
	node = xcalloc(1, sizeof(*node));
	if (build_node(cp, &ev, node, 0) != 0 || expect_stream_end(cp) != 0)
	{
		cy_free(node);
		return -1;
	}
	*root = node;
	return 0;
}

int
cy_parse(const struct cy_source *src, struct cy_node **root)
{
	struct cy_parser cp;
	int rc;

	*root = NULL;
	memset(&cp, 0, sizeof(cp));
	cp.src = src;
	if (!yaml_parser_initialize(&cp.parser))
	{
		log_error("could not initialize the YAML parser: out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&cp.parser, (const unsigned char *) src->text, src->len);
	rc = parse_document(&cp, root);
	yaml_parser_delete(&cp.parser);
	if (rc == 0 && *root != NULL && (*root)->kind == CY_SCALAR && (*root)->is_null)
	{
		cy_free(*root);
		*root = NULL;
	}
	return rc;
}
