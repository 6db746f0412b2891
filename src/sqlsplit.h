/*
 * sqlsplit.h: splitting a file of SQL into statements the way psql does.
 *
 * The rules are those of psql's lexer (src/fe_utils/psqlscan.l, PostgreSQL
 * 15) with standard_conforming_strings on: a semicolon ends a statement
 * outside quotes, comments, parentheses and the BEGIN ... END of a
 * CREATE FUNCTION/PROCEDURE ... BEGIN ATOMIC body; '...', E'...', B'...',
 * X'...', N'...', U&'...' strings, "..." and U&"..." identifiers, tagged
 * and nested dollar quotes, "--" comments and nested block comments are
 * skipped whole.  A backslash outside them starts a psql meta-command,
 * which a file of plain SQL cannot hold: it is reported, never skipped.
 *
 * A statement is the exact bytes of the file from its first character
 * that is neither white space nor part of a "--" comment through its
 * semicolon (or to the end of the text or section), as psql sends it.
 */
#ifndef MIGRATE_SQLSPLIT_H
#define MIGRATE_SQLSPLIT_H

#include <stdbool.h>
#include <stddef.h>

enum sqlsplit_status
{
	SQLSPLIT_STATEMENT, /* a statement: start, end, line, empty */
	SQLSPLIT_MARKER, /* a line the marker callback took: start, end, line */
	SQLSPLIT_END, /* nothing more */
	SQLSPLIT_BACKSLASH, /* a psql meta-command at start (its line in line) */
	SQLSPLIT_UNTERMINATED /* the text ends inside a quote or comment opened at start */
};

/*
 * Called at the start of every line that begins outside any quote or
 * comment; returns true when the line is a marker (a section line such as
 * "-- migrate:down"), which ends the statement in progress.
 */
typedef bool (*sqlsplit_marker_fn)(const char *line, size_t len, void *arg);

struct sqlsplit
{
	/* input, set by sqlsplit_init */
	const char *text;
	size_t len;
	sqlsplit_marker_fn marker; /* may be NULL */
	void *marker_arg;

	/* the result of the last sqlsplit_next */
	size_t start; /* offset of the statement, marker or error */
	size_t end; /* offset just past the statement or marker line */
	int line; /* 1-based line of start */
	bool empty; /* the statement holds only comments and ";" */
	bool terminated; /* the statement ends with its own semicolon */
	const char *what; /* UNTERMINATED: "string", "quoted identifier", ... */

	/* lexer state, private */
	size_t pos;
	int pos_line;
	int paren_depth;
	int begin_depth;
	unsigned int identifier_count;
	char identifiers[4];
};

/*
 * Prepares s to split text (len bytes, NUL bytes allowed); marker may be
 * NULL.  s keeps pointers to text and arg, owns nothing.
 */
void sqlsplit_init(struct sqlsplit *s, const char *text, size_t len, sqlsplit_marker_fn marker,
				   void *arg);

/*
 * Finds the next statement or marker and describes it in s (see the
 * fields).  After SQLSPLIT_END, SQLSPLIT_BACKSLASH or SQLSPLIT_UNTERMINATED
 * every later call returns SQLSPLIT_END.
 */
enum sqlsplit_status sqlsplit_next(struct sqlsplit *s);

#define SQLSPLIT_WORD_MAX 24

/*
 * The first n words of a statement (len bytes at p), lower-cased, white
 * space, comments and opening parentheses skipped, each cut to
 * SQLSPLIT_WORD_MAX - 1 bytes; stops at anything else.  Returns how many
 * were found.  For recognising statements such as "COMMIT" or "CREATE
 * INDEX CONCURRENTLY".
 */
int sqlsplit_words(const char *p, size_t len, char words[][SQLSPLIT_WORD_MAX], int n);

#endif
