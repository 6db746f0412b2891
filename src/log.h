/*
 * log.h: diagnostics on stderr in PostgreSQL's client style
 * ("migrate: error: ...", then "detail:" and "hint:" lines).
 */
#ifndef MIGRATE_LOG_H
#define MIGRATE_LOG_H

#include <stdbool.h>
#include <stdnoreturn.h>

enum log_level
{
	LOG_QUIET = 0, /* errors only */
	LOG_NORMAL = 1, /* plus warnings and notes */
	LOG_VERBOSE = 2 /* plus debug lines */
};

/* Sets how much goes to stderr; errors are always written. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

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

/* log_error() then exit(code) through exit(), so atexit cleanup runs. */
noreturn void fatal(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
