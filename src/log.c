/*
 * log.c: the one place that writes diagnostics to stderr.
 */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static enum log_level current_level = LOG_NORMAL;

void
log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level
log_get_level(void)
{
	return current_level;
}

static void
log_line(const char *prefix, const char *fmt, va_list ap)
{
	/* stdout first, so that a terminal shows results and errors in order */
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_WITH(prefix, min_level)      \
	do                                   \
	{                                    \
		va_list ap;                      \
		if (current_level < (min_level)) \
			return;                      \
		va_start(ap, fmt);               \
		log_line(prefix, fmt, ap);       \
		va_end(ap);                      \
	} while (0)

void
log_error(const char *fmt, ...)
{
	LOG_WITH("migrate: error: ", LOG_QUIET);
}

void
log_warning(const char *fmt, ...)
{
	LOG_WITH("migrate: warning: ", LOG_NORMAL);
}

void
log_info(const char *fmt, ...)
{
	LOG_WITH("migrate: ", LOG_NORMAL);
}

void
log_debug(const char *fmt, ...)
{
	LOG_WITH("migrate: debug: ", LOG_VERBOSE);
}

void
log_detail(const char *fmt, ...)
{
	LOG_WITH("detail: ", LOG_QUIET);
}

void
log_hint(const char *fmt, ...)
{
	LOG_WITH("hint: ", LOG_QUIET);
}

void
fatal(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("migrate: error: ", fmt, ap);
	va_end(ap);
	exit(code);
}
