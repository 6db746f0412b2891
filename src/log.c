/*
 * log.c: the one place that writes diagnostics to stderr.
 */
#include "log.h"

#include <stdio.h>
#include <stdlib.h>

static enum log_level current_level = LOG_NORMAL;
static char first_error[1024];
static bool have_error;

void
log_set_level(enum log_level level)
{
	current_level = level;
}

const char *
log_first_error(void)
{
	return have_error ? first_error : NULL;
}

/* Keeps the first error's text ("where: " prefix included) for JSON. */
static void
remember_error(const char *where, const char *fmt, va_list ap)
{
	int n = 0;

	if (have_error)
		return;
	have_error = true;
	if (where != NULL)
		n = snprintf(first_error, sizeof(first_error), "%s: ", where);
	if (n < 0 || (size_t) n >= sizeof(first_error))
		n = 0;
	vsnprintf(first_error + n, sizeof(first_error) - (size_t) n, fmt, ap);
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
	va_list ap;

	va_start(ap, fmt);
	remember_error(NULL, fmt, ap);
	va_end(ap);
	LOG_WITH("migrate: error: ", LOG_QUIET);
}

void
log_verror_at(const char *where, const char *fmt, va_list ap)
{
	va_list copy;

	va_copy(copy, ap);
	remember_error(where, fmt, copy);
	va_end(copy);
	fflush(stdout);
	fprintf(stderr, "%s: error: ", where);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_error_at(const char *where, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_verror_at(where, fmt, ap);
	va_end(ap);
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
