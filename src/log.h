/*
 * log.h: diagnostics on stderr in PostgreSQL's client style
 * ("migrate: error: ...", then "detail:" and "hint:" lines).
 */
#ifndef MIGRATE_LOG_H
#define MIGRATE_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum log_level
{
	LOG_QUIET = 0, /* errors only */
	LOG_NORMAL = 1, /* plus warnings and notes */
	LOG_VERBOSE = 2 /* plus debug lines */
};

/* Sets how much goes to stderr; errors are always written. */
void log_set_level(enum log_level level);

/*
 * Each writes one line to stderr after flushing stdout, prefixed with
 * "migrate: error: ", "migrate: warning: ", "migrate: " or "detail: " /
 * "hint: ".  Messages are lower case without a final full stop.
 */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * An error located in a file: "where: error: message" (where is
 * "file:line:col" or "file:line").
 */
void log_error_at(const char *where, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_verror_at(const char *where, const char *fmt, va_list ap);

/*
 * The first error of the run as it was written (with its place for
 * log_error_at, without "migrate: error: "), or NULL when none was; for
 * the JSON error object of errors that were only logged.
 */
const char *log_first_error(void);

#endif
