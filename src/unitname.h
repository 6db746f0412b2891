/*
 * unitname.h: the one parser of unit file names, "<version>_<name>.pgc"
 * (or ".sql", a plain-SQL unit), shared by the build's registry generator
 * and the runner.
 */
#ifndef MIGRATE_UNITNAME_H
#define MIGRATE_UNITNAME_H

#include <stddef.h>

/* A version has 1 to 18 decimal digits, so it always fits in a long long. */
#define UNITNAME_MAX_DIGITS 18

/*
 * Parses a file name (no directory) of the form <version>_<name>.pgc or
 * <version>_<name>.sql.
 * On success returns 0, sets *version (> 0) and copies the name part into
 * name (NUL-terminated, at most name_size - 1 bytes).  Returns -1 and sets
 * *why to a static description when the name does not fit the pattern.
 */
int unitname_parse(const char *file, long long *version, char *name, size_t name_size,
				   const char **why) __attribute__((warn_unused_result));

/*
 * Checks a unit name given to "migrate new": [a-z0-9_]+, at most 200 bytes.
 * Returns 0 when valid, -1 otherwise.
 */
int unitname_valid_name(const char *name);

/*
 * Parses a version as typed on the command line (--to V, baseline V):
 * 1 to 18 digits.  Returns 0 and sets *version (>= 0) or -1.
 */
int unitname_parse_version(const char *text, long long *version)
	__attribute__((warn_unused_result));

/* Room for any version's text (UNITNAME_MAX_DIGITS digits and a NUL). */
#define UNITNAME_VERSION_TEXT_SIZE 24

/*
 * The leading digits of file's base name when they spell version (the
 * "000118" of "migrations/000118_x.pgc"); else, and when file is NULL, the
 * plain number.  Writes into buf and returns it.
 */
const char *unitname_version_text(const char *file, long long version,
								  char buf[UNITNAME_VERSION_TEXT_SIZE]);

#endif
