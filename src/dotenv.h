/*
 * dotenv.h: read ./.env files into the process environment.
 */
#ifndef MIGRATE_DOTENV_H
#define MIGRATE_DOTENV_H

#include <stddef.h>

struct dotenv_entry
{
	char *name; /* owned */
	char *value; /* owned; a secret: never print it */
	int line; /* 1-based line of the assignment */
};

/* The assignments of one file, in file order.  Owns its entries. */
struct dotenv
{
	struct dotenv_entry *entries;
	size_t count;
};

/*
 * Parses dotenv text: blank lines and "#" comment lines are skipped; each
 * other line is [export ]NAME=VALUE with NAME [A-Za-z_][A-Za-z0-9_]*,
 * optional blanks around "=", and VALUE either 'single-quoted' (literal),
 * "double-quoted" (\n \r \t \" \\ \$ escapes; any other backslash is kept)
 * or unquoted (up to a " #" comment, outer blanks trimmed).  A quoted value
 * may be followed only by blanks and a comment.  Lines end with LF or CRLF.
 *
 * Returns 0 and fills *env (release with dotenv_free), or -1 with *env
 * empty, *err_line set to the 1-based line and *err_msg to a message that
 * quotes nothing from the value (free() it).
 */
int dotenv_parse(const char *text, size_t len, struct dotenv *env, int *err_line, char **err_msg)
	__attribute__((warn_unused_result));

/* Frees the entries and zeroes env; accepts NULL and a zeroed struct. */
void dotenv_free(struct dotenv *env);

/*
 * Reads the file at path, if there is one, and sets each variable that the
 * process environment does not already hold (a later line wins over an
 * earlier one of the same name).  Returns 0, also when the file does not
 * exist, or logs "PATH:LINE: error: ..." (or "could not read") and
 * returns 2, having set nothing.
 */
int dotenv_load(const char *path) __attribute__((warn_unused_result));

#endif
