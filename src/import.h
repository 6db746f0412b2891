/*
 * import.h: turning another tool's migration directory into plain-SQL
 * units (SPEC section 12).  Each format (import_golang.c, import_dbmate.c)
 * reads its files into an import_set; import.c checks the set, renders
 * each unit and writes them, all or nothing.
 */
#ifndef MIGRATE_IMPORT_H
#define MIGRATE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* One step of a source migration: its SQL as the file has it. */
struct import_text
{
	char *file; /* source path, for messages */
	char *sql; /* the step's bytes (owned) */
	size_t len;
	int first_line; /* line of sql[0] in file */
};

struct import_unit
{
	char *version; /* as the source writes it (digits) */
	long long value;
	long long source_value; /* as the source numbers it (value may map 0 to 1) */
	char *name; /* mapped to [a-z0-9_]+ */
	char *source_name; /* the name as the source writes it */
	struct import_text up;
	struct import_text down; /* sql NULL: irreversible */
	bool no_transaction;
	struct buf notes; /* "-- " lines for the unit's first comment */
	/* set by import_plan: */
	char *path; /* the unit file to write (owned) */
	struct buf text; /* its contents */
	int skip; /* 1: already there and identical */
	bool created; /* import_emit wrote it */
};

struct import_set
{
	const char *format;
	struct import_unit *units;
	size_t n;
	int errors; /* refusals printed so far */
};

/* Reads DIR as golang-migrate / dbmate / goose / Flyway / diesel files into
 * set.  Return 0, or -1 after printing why (set->errors counts refusals). */
int import_golang_read(const char *dir, struct import_set *set);
int import_dbmate_read(const char *dir, struct import_set *set);
int import_goose_read(const char *dir, struct import_set *set);
int import_flyway_read(const char *dir, struct import_set *set);
int import_diesel_read(const char *dir, struct import_set *set);

/* Sets t to a copy of len bytes at from, read from file at first_line. */
void import_text_set(struct import_text *t, const char *file, const char *from, size_t len,
					 int first_line);

/* Adds an empty unit for version and name (mapped, noted); NULL after a
 * refusal (bad version). */
struct import_unit *import_add(struct import_set *set, const char *file, const char *version,
							   const char *name, size_t name_len);

/* The unit of that version text in set, or NULL. */
struct import_unit *import_find(struct import_set *set, const char *version);

/* Reads a whole file into *out (owned, NUL-terminated); -1 on error. */
int import_read_file(const char *path, char **out, size_t *len);

/* What a format does with one entry of the source directory. */
typedef void (*import_take_fn)(struct import_set *set, const char *dir, const char *name);

/*
 * Calls take for each entry of dir whose name does not start with a dot
 * (the format's own filter is take's).  Returns 0, or -1 after refusing a
 * directory that cannot be opened.
 */
int import_each_entry(struct import_set *set, const char *dir, import_take_fn take);

/* Splits one file's text into u's up and down (a format's own rules). */
typedef void (*import_split_fn)(struct import_set *set, struct import_unit *u, const char *file,
								const char *text, size_t len);

/*
 * Reads path and hands its text to split; refuses an unreadable file.
 * Then u's up file is path (moved out of *path) unless split set it.
 */
void import_read_split(struct import_set *set, struct import_unit *u, struct buf *path,
					   import_split_fn split);

/* Prints "FILE[:LINE]: error: ..." and counts the refusal. */
void import_refuse(struct import_set *set, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Checks every unit (versions, statements, transaction control) and
 * renders each into its path and text, writing nothing; a unit file
 * already there is marked to skip when identical and refused otherwise.
 * Returns 0, or 2 after refusals (printed, with a hint that nothing was
 * written).
 */
int import_plan(struct import_set *set, const char *dir);

/*
 * Writes the planned units to dir (created when missing), printing each
 * path and a summary line.  Returns 0, or 2 after removing what it wrote
 * when one write failed.
 */
int import_emit(struct import_set *set, const char *dir, bool json);

/* Removes the unit files import_emit created (after a later failure). */
void import_unwrite(struct import_set *set);

/* import_plan, then import_emit when the plan holds.  Returns 0 or 2. */
int import_write(struct import_set *set, const char *dir, bool json);

/* Frees everything set owns. */
void import_set_free(struct import_set *set);

#endif
