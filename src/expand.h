/*
 * expand.h: ${VAR}, ${VAR:-default} and $$ in migrate.yaml values.
 */
#ifndef MIGRATE_EXPAND_H
#define MIGRATE_EXPAND_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Looks a variable up: returns its value, or NULL when it is not set.  The
 * result need only live until the next call.
 */
typedef const char *(*expand_lookup_fn)(const char *name, void *arg);

/* Why expand_vars() failed; message is owned by the struct. */
struct expand_error
{
	size_t offset; /* byte offset in the text of the "$" at fault */
	char *message; /* lower case, never holds a variable's value */
	char *variable; /* the unset variable's name, or NULL */
};

/*
 * Expands text: "$$" gives "$", "${NAME}" the variable's value (an unset
 * variable is an error), "${NAME:-word}" the value when it is set and not
 * empty, else word, which is expanded in turn and only when used.  NAME is
 * [A-Za-z_][A-Za-z0-9_]*.  A "$" before a letter or "_" is an error (a
 * forgotten brace); before anything else it is kept.  Values are inserted
 * as they are, never expanded again.
 *
 * With lookup NULL only the syntax is checked and *out is left NULL.
 * Returns 0 and sets *out (free() it), or -1 and fills *err (release with
 * expand_error_free) with *out NULL.
 */
int expand_vars(const char *text, expand_lookup_fn lookup, void *arg, char **out,
				struct expand_error *err) __attribute__((warn_unused_result));

/* Frees what err holds and zeroes it; accepts a zeroed struct. */
void expand_error_free(struct expand_error *err);

/* Whether text holds a "$" at all, that is, whether expansion may change it. */
int expand_needed(const char *text);

/*
 * A variable name, in ${NAME} and in .env files alike:
 * [A-Za-z_][A-Za-z0-9_]*.
 */
bool expand_is_name_start(char c);
bool expand_is_name_char(char c);

#endif
