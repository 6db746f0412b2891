/*
 * cfg_yaml.h: migrate.yaml as a small tree of scalars, mappings and
 * sequences, each with its 1-based line and column, built from libyaml's
 * events; and the located error messages that point into the file.
 */
#ifndef MIGRATE_CFG_YAML_H
#define MIGRATE_CFG_YAML_H

#include <stdbool.h>
#include <stddef.h>

enum cy_kind
{
	CY_SCALAR,
	CY_MAPPING,
	CY_SEQUENCE
};

struct cy_node
{
	enum cy_kind kind;
	int line; /* 1-based */
	int column; /* 1-based, in characters */
	char *text; /* scalar: owned, NUL-terminated; else NULL */
	bool is_null; /* plain "", "~" or "null": no value */
	int text_column; /* column of text[0] when every byte of text
								 * sits on one line as written, else 0 */
	struct cy_node *children; /* owned; mapping: key, value, key, value... */
	size_t count; /* number of children */
};

/* A file being read: its name as shown in messages and its bytes. */
struct cy_source
{
	const char *name;
	const char *text;
	size_t len;
};

/*
 * Parses one YAML document from src.  Aliases, more than one document,
 * scalars holding NUL and nesting deeper than 32 are refused.  Returns 0
 * and sets *root (NULL for an empty document; release with cy_free), or
 * prints the located error (cy_report) and returns -1 with *root NULL.
 */
int cy_parse(const struct cy_source *src, struct cy_node **root)
	__attribute__((warn_unused_result));

/* Frees a tree from cy_parse; accepts NULL. */
void cy_free(struct cy_node *root);

/* "a scalar", "a mapping", "a sequence" or "empty", for messages. */
const char *cy_kind_name(const struct cy_node *node);

/*
 * Writes "NAME:LINE:COLUMN: error: PROBLEM" to stderr after flushing
 * stdout, then the source line and a caret under the column (passwords in
 * connection strings on that line are masked).  Nothing is quoted from the
 * line when line is past the end of the text.
 */
void cy_report(const struct cy_source *src, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
