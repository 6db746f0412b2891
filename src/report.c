/*
 * report.c: human and JSON output of a run.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "json.h"
#include "log.h"

static struct
{
	const char *command;
	bool json;
	bool quiet;
	bool color;
	bool error_reported;
	struct report_counts counts;
	struct timespec started;
} rep;

void
report_init(const char *command, bool json, bool quiet, bool color)
{
	rep.command = command;
	rep.json = json;
	rep.quiet = quiet;
	rep.color = color;
	clock_gettime(CLOCK_MONOTONIC, &rep.started);
}

bool
report_json(void)
{
	return rep.json;
}

struct report_counts *
report_counts(void)
{
	return &rep.counts;
}

static const char *
event_name(const char *action)
{
	if (strcmp(action, "up") == 0)
		return "applied";
	if (strcmp(action, "down") == 0)
		return "rolled_back";
	if (strcmp(action, "would-up") == 0)
		return "would_apply";
	if (strcmp(action, "would-down") == 0)
		return "would_roll_back";
	if (strcmp(action, "baseline") == 0)
		return "baselined";
	if (strcmp(action, "repair") == 0)
		return "repaired";
	return "skipped";
}

static void
print_json_line(struct buf *b)
{
	buf_append(b, "}\n");
	fputs(b->data, stdout);
	fflush(stdout);
	buf_free(b);
}

void
report_unit(const char *action, long long version, const char *name, const char *note,
			long duration_ms)
{
	if (rep.json)
	{
		struct buf b;

		buf_init(&b);
		buf_append(&b, "{");
		json_member_string(&b, "event", event_name(action));
		json_member_int(&b, "version", version);
		json_member_string(&b, "name", name);
		if (duration_ms >= 0)
			json_member_int(&b, "duration_ms", duration_ms);
		else
			json_member_raw(&b, "duration_ms", "null");
		if (strcmp(note, "ok") != 0)
			json_member_string(&b, "note", note);
		print_json_line(&b);
		return;
	}
	if (rep.quiet)
		return;
	printf("%-5s %04lld %-28s %s%s%s", action, version, name,
		   rep.color ? (strcmp(note, "ok") == 0 ? "\033[32m" : "\033[33m") : "", note,
		   rep.color ? "\033[0m" : "");
	if (duration_ms >= 0)
		printf("  %ld ms", duration_ms);
	putchar('\n');
	fflush(stdout);
}

void
report_notice(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rep.json)
	{
		struct buf b;

		buf_init(&b);
		buf_append(&b, "{");
		json_member_string(&b, "event", "notice");
		json_member_string(&b, "message", msg);
		print_json_line(&b);
		return;
	}
	if (!rep.quiet)
		log_info("%s", msg);
}

/* The {"event":"error"} object, once per run, with --json only. */
static void
emit_error_json(int exit_code, const char *message, const struct db_error *err, const char *unit,
				const char *file, int line)
{
	struct buf b;

	if (!rep.json || rep.error_reported)
		return;
	rep.error_reported = true;
	buf_init(&b);
	buf_append(&b, "{");
	json_member_string(&b, "event", "error");
	json_member_int(&b, "exit_code", exit_code);
	json_member_string(&b, "message", message);
	json_member_string(&b, "sqlstate", err && err->sqlstate[0] ? err->sqlstate : NULL);
	json_member_string(&b, "server_message", err ? err->message : NULL);
	json_member_string(&b, "detail", err ? err->detail : NULL);
	json_member_string(&b, "hint", err ? err->hint : NULL);
	json_member_string(&b, "unit", unit);
	json_member_string(&b, "file", file);
	if (line > 0)
		json_member_int(&b, "line", line);
	print_json_line(&b);
}

void
report_error_event(int exit_code, const char *message)
{
	emit_error_json(exit_code, message, NULL, NULL, NULL, 0);
}

void
report_error(int exit_code, const char *message, const struct db_error *err, const char *unit,
			 const char *file, int line)
{
	if (file != NULL && line > 0)
		log_error("%s:%d: %s", file, line, message);
	else
		log_error("%s", message);
	if (err != NULL && err->message != NULL)
	{
		if (err->sqlstate[0])
			log_detail("%s (SQLSTATE %s)", err->message, err->sqlstate);
		else
			log_detail("%s", err->message);
		if (err->detail)
			log_detail("%s", err->detail);
		if (err->hint)
			log_hint("%s", err->hint);
	}
	emit_error_json(exit_code, message, err, unit, file, line);
}

static long
elapsed_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - rep.started.tv_sec) * 1000L +
		   (now.tv_nsec - rep.started.tv_nsec) / 1000000L;
}

int
report_finish(int exit_code, const char *extra_json)
{
	if (rep.json)
	{
		struct buf b;

		buf_init(&b);
		buf_append(&b, "{");
		json_member_string(&b, "event", "summary");
		json_member_string(&b, "command", rep.command);
		json_member_int(&b, "applied", rep.counts.applied);
		json_member_int(&b, "rolled_back", rep.counts.rolled_back);
		json_member_int(&b, "skipped", rep.counts.skipped);
		json_member_int(&b, "exit_code", exit_code);
		json_member_int(&b, "duration_ms", elapsed_ms());
		if (extra_json != NULL && extra_json[0] != '\0')
		{
			buf_append_char(&b, ',');
			buf_append(&b, extra_json);
		}
		print_json_line(&b);
	}
	else if (!rep.quiet && rep.command != NULL &&
			 (strcmp(rep.command, "up") == 0 || strcmp(rep.command, "down") == 0 ||
			  strcmp(rep.command, "redo") == 0))
	{
		int done = rep.counts.applied + rep.counts.rolled_back + rep.counts.skipped;

		if (done == 0 && exit_code == 0)
			printf("nothing to do\n");
		else if (done > 0)
			printf("%s: %d applied, %d rolled back, %d skipped in %ld ms%s\n", rep.command,
				   rep.counts.applied, rep.counts.rolled_back, rep.counts.skipped, elapsed_ms(),
				   exit_code == 0 ? "" : " (failed)");
	}
	if (fflush(stdout) != 0 || ferror(stdout))
	{
		log_error("could not write to standard output");
		return exit_code ? exit_code : 1;
	}
	return exit_code;
}
