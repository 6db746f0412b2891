/*
 * report.h: what the runner tells the user: one line (or one JSON object)
 * per unit as it completes, errors, and a final summary.  The one writer
 * of stdout's JSON: with --json every run ends with exactly one summary
 * object, written by report_finish (main calls it for every run; a
 * second call does nothing).
 */
#ifndef MIGRATE_REPORT_H
#define MIGRATE_REPORT_H

#include <stdbool.h>

#include "buf.h"
#include "db_error.h"

struct report_counts
{
	int applied;
	int rolled_back;
	int skipped;
	int would_apply; /* dry runs; counted by report_unit */
	int would_roll_back; /* dry runs; counted by report_unit */
};

/*
 * Chooses JSON lines or human lines, colour, and quietness; command is
 * NULL when the command line named none.
 */
void report_init(const char *command, bool json, bool quiet, bool color);
bool report_json(void);

/* The command being run ("" when none), for wording that depends on it. */
const char *report_command(void);

/*
 * One unit done: action is "up", "down", "skip", "would-up",
 * "would-down", "baseline" or "repair"; note is printed after the result
 * ("ok", a reason).  The version is printed as the unit's file name
 * writes it (vertext.h), in a column as wide as the longest.
 */
void report_unit(const char *action, long long version, const char *name, const char *note,
				 long duration_ms);

/* A note for humans (stderr); in JSON mode, an {"event":"notice"} line. */
void report_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A warning: "migrate: warning: ..." on stderr (unless -q); in JSON mode
 * an {"event":"warning"} line instead.
 */
void report_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reports an error: on stderr as "migrate: error:", then the server's
 * message ("server:" with its SQLSTATE), every line of its detail and its
 * hint; with --json also as the run's {"event":"error"} object (the first
 * error only).  err, unit and file may be NULL.
 */
void report_error(int exit_code, const char *message, const struct db_error *err, const char *unit,
				  const char *file, int line);

/*
 * With --json, the {"event":"error"} object alone, for errors whose
 * diagnostics are already on stderr; nothing otherwise.
 */
void report_error_event(int exit_code, const char *message);

/*
 * Reports a failure of db_connect: its message, then libpq's reason as the
 * detail, and the hint if there is one.
 */
void report_connect_failure(int exit_code, const struct db_error *failure);

/*
 * With --json, prints {"event":event, members} as one line (members: JSON
 * object members built with json_member_*, or NULL); nothing otherwise.
 */
void report_event(const char *event, const char *members);

/*
 * Members for the summary object that report_finish writes (a command's
 * result: status's units, version's current_version...); copied, and
 * appended to what earlier calls gave.
 */
void report_summary_add(const char *members);

/* Counters the summary prints. */
struct report_counts *report_counts(void);

/*
 * Ends the run's output once: with --json an error object when the run
 * failed and none was written yet (its message the first error logged,
 * with its place), then the summary object (with extra_json's members
 * when not NULL; for status, version and schema, their result);
 * otherwise the human summary line of up, down and redo.  Checks stdout
 * for write errors and returns the exit code to use.  Later calls only
 * return exit_code.
 */
int report_finish(int exit_code, const char *extra_json);

#endif
