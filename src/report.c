/*
 * report.c: human and JSON output of a run.
 */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "log.h"
#include "vertext.h"

static struct
{
	const char *command;
	bool json;
	bool quiet;
	bool color;
	bool error_reported;
	bool finished;
	struct buf summary_members; /* from report_summary_add */
	struct report_counts counts;
	struct timespec started;
} rep;

void
report_init(const char *command, bool json, bool quiet, bool color)
{
	buf_free(&rep.summary_members);
	memset(&rep, 0, sizeof(rep));
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

const char *
report_command(void)
{
	return rep.command != NULL ? rep.command : "";
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

/* Dry-run events count what would have been done. */
static void
count_dry_run(const char *action)
{
	if (strcmp(action, "would-up") == 0)
		rep.counts.would_apply++;
	else if (strcmp(action, "would-down") == 0)
		rep.counts.would_roll_back++;
}

void
report_unit(const char *action, long long version, const char *name, const char *note,
			long duration_ms)
{
	char vt[VERTEXT_SIZE];

	count_dry_run(action);
	vertext(version, vt);
	if (rep.json)
	{
		struct buf b;

		buf_init(&b);
		buf_append(&b, "{");
		json_member_string(&b, "event", event_name(action));
		json_member_int(&b, "version", version);
		json_member_string(&b, "version_text", vt);
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
	printf("%-5s %-*s %-28s %s%s%s", action, vertext_width(), vt, name,
		   rep.color ? (strcmp(note, "ok") == 0 ? "\033[32m" : "\033[33m") : "", note,
		   rep.color ? "\033[0m" : "");
	if (duration_ms >= 0)
		printf("  %ld ms", duration_ms);
	putchar('\n');
	fflush(stdout);
}

void
report_event(const char *event, const char *members)
{
	struct buf b;

	if (!rep.json)
		return;
	buf_init(&b);
	buf_append(&b, "{");
	json_member_string(&b, "event", event);
	if (members != NULL && members[0] != '\0')
	{
		buf_append_char(&b, ',');
		buf_append(&b, members);
	}
	print_json_line(&b);
}

void
report_summary_add(const char *members)
{
	if (members == NULL || members[0] == '\0')
		return;
	if (rep.summary_members.data == NULL)
		buf_init(&rep.summary_members);
	if (rep.summary_members.len > 0)
		buf_append_char(&rep.summary_members, ',');
	buf_append(&rep.summary_members, members);
}

/* Prints {"event":event,"message":msg} on stdout. */
static void
print_json_message(const char *event, const char *msg)
{
	struct buf b;

	buf_init(&b);
	buf_append(&b, "{");
	json_member_string(&b, "event", event);
	json_member_string(&b, "message", msg);
	print_json_line(&b);
}

/* A notice or a warning: a JSON event, or a line on stderr unless quiet. */
static void
report_message(bool warning, const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (rep.json)
		print_json_message(warning ? "warning" : "notice", msg);
	else if (rep.quiet)
		return;
	else if (warning)
		log_warning("%s", msg);
	else
		log_info("%s", msg);
}

void
report_notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_message(false, fmt, ap);
	va_end(ap);
}

void
report_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_message(true, fmt, ap);
	va_end(ap);
}

/*
 * The server's hint, else one of ours for errors whose fix is not
 * obvious from the message.
 */
static const char *
hint_of(const struct db_error *err)
{
	if (err->hint != NULL)
		return err->hint;
	if (strcmp(err->sqlstate, "25001") == 0)
		return "the statement cannot run inside a transaction block (CREATE INDEX CONCURRENTLY, "
			   "say): give it a unit of its own declared MIGRATE_NO_TRANSACTION";
	if (strcmp(err->sqlstate, "07002") == 0)
		return "a SELECT in a unit needs INTO host variables (EXEC SQL SELECT ... INTO :x): "
			   "without INTO it fails whenever a row comes back";
	return NULL;
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
	json_member_string(&b, "hint", err ? hint_of(err) : NULL);
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

/* Each line of a (multi-line) text through log_fn, which labels it. */
static void
log_lines(void (*log_fn)(const char *, ...), const char *text)
{
	while (text != NULL && *text != '\0')
	{
		int n = (int) strcspn(text, "\n");

		log_fn("%.*s", n, text);
		text += n;
		if (*text == '\n')
			text++;
	}
}

/*
 * The error's own lines: a server message (one with a SQLSTATE) as
 * "server:", a client-side reason as "detail:", then every line of the
 * detail and of the hint.
 */
static void
log_db_error(const struct db_error *err)
{
	if (err->message != NULL && err->sqlstate[0])
	{
		fflush(stdout);
		fprintf(stderr, "server: %s (SQLSTATE %s)\n", err->message, err->sqlstate);
	}
	else if (err->message != NULL)
		log_lines(log_detail, err->message);
	if (err->message != NULL)
	{
		log_lines(log_detail, err->detail);
		log_lines(log_hint, hint_of(err));
	}
}

void
report_error(int exit_code, const char *message, const struct db_error *err, const char *unit,
			 const char *file, int line)
{
	if (file != NULL && line > 0)
		log_error("%s:%d: %s", file, line, message);
	else
		log_error("%s", message);
	if (err != NULL)
		log_db_error(err);
	emit_error_json(exit_code, message, err, unit, file, line);
}

void
report_connect_failure(int exit_code, const struct db_error *failure)
{
	struct db_error why = {"", failure->detail, NULL, failure->hint};

	report_error(exit_code, failure->message, failure->detail != NULL ? &why : NULL, NULL, NULL, 0);
}

static long
elapsed_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - rep.started.tv_sec) * 1000L +
		   (now.tv_nsec - rep.started.tv_nsec) / 1000000L;
}

/* Whether the command's summary carries the unit counters. */
static bool
counts_units(void)
{
	static const char *const commands[] = {"up", "down", "redo"};
	size_t i;

	for (i = 0; rep.command != NULL && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(rep.command, commands[i]) == 0)
			return true;
	return false;
}

static void
print_json_summary(int exit_code, const char *extra_json)
{
	struct buf b;

	buf_init(&b);
	buf_append(&b, "{");
	json_member_string(&b, "event", "summary");
	json_member_string(&b, "command", rep.command);
	if (counts_units())
	{
		json_member_int(&b, "applied", rep.counts.applied);
		json_member_int(&b, "rolled_back", rep.counts.rolled_back);
		json_member_int(&b, "skipped", rep.counts.skipped);
		json_member_int(&b, "would_apply", rep.counts.would_apply);
		json_member_int(&b, "would_roll_back", rep.counts.would_roll_back);
	}
	json_member_int(&b, "exit_code", exit_code);
	json_member_int(&b, "duration_ms", elapsed_ms());
	if (extra_json != NULL && extra_json[0] != '\0')
	{
		buf_append_char(&b, ',');
		buf_append(&b, extra_json);
	}
	if (rep.summary_members.data != NULL && rep.summary_members.len > 0)
	{
		buf_append_char(&b, ',');
		buf_append(&b, rep.summary_members.data);
	}
	print_json_line(&b);
}

/* The summary line of up, down and redo. */
static void
print_human_summary(int exit_code)
{
	const struct report_counts *c = &rep.counts;
	int done = c->applied + c->rolled_back + c->skipped;
	int would = c->would_apply + c->would_roll_back;

	if (!counts_units())
		return;
	if (would > 0)
		printf("dry run of %s: %d would be applied, %d would be rolled back, %d skipped in %ld "
			   "ms%s; nothing was changed\n",
			   rep.command, c->would_apply, c->would_roll_back, c->skipped, elapsed_ms(),
			   exit_code == 0 ? "" : " (failed)");
	else if (done == 0 && exit_code == 0)
		printf("nothing to do\n");
	else if (done > 0)
		printf("%s: %d applied, %d rolled back, %d skipped in %ld ms%s\n", rep.command, c->applied,
			   c->rolled_back, c->skipped, elapsed_ms(), exit_code == 0 ? "" : " (failed)");
}

int
report_finish(int exit_code, const char *extra_json)
{
	if (rep.finished)
		return exit_code;
	rep.finished = true;
	if (rep.json)
	{
		if (exit_code != 0 && !rep.error_reported)
		{
			const char *first = log_first_error();

			emit_error_json(exit_code, first != NULL ? first : "the command failed", NULL, NULL,
							NULL, 0);
		}
		print_json_summary(exit_code, extra_json);
	}
	else if (!rep.quiet)
		print_human_summary(exit_code);
	if (rep.summary_members.data != NULL)
		buf_free(&rep.summary_members);
	if (fflush(stdout) != 0 || ferror(stdout))
	{
		log_error("could not write to standard output");
		return exit_code ? exit_code : 1;
	}
	return exit_code;
}
