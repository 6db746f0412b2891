/*
 * report.h: what the runner tells the user: one line (or one JSON object)
 * per unit as it completes, errors, and a final summary.
 */
#ifndef MIGRATE_REPORT_H
#define MIGRATE_REPORT_H

#include <stdbool.h>

#include "buf.h"

struct db_error;

struct report_counts
{
	int applied;
	int rolled_back;
	int skipped;
	int baselined;
};

/* Chooses JSON lines or human lines, colour, and quietness. */
void report_init(const char *command, bool json, bool quiet, bool color);
bool report_json(void);

/*
 * One unit done: action is "up", "down", "skip", "would-up",
 * "would-down", "baseline" or "repair"; note is printed after the result
 * ("ok", a reason).
 */
void report_unit(const char *action, long long version, const char *name, const char *note,
				 long duration_ms);

/* A note for humans (stderr); in JSON mode, an {"event":"notice"} line. */
void report_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reports an error: on stderr as "migrate: error:" with detail and hint
 * lines, and with --json also as an {"event":"error"} object on stdout.
 * err, unit and file may be NULL.
 */
void report_error(int exit_code, const char *message, const struct db_error *err, const char *unit,
				  const char *file, int line);

/*
 * With --json, the {"event":"error"} object alone, for errors whose
 * diagnostics are already on stderr; nothing otherwise.
 */
void report_error_event(int exit_code, const char *message);

/* Counters the summary prints. */
struct report_counts *report_counts(void);

/*
 * Prints the summary (human: one line when anything happened; JSON: the
 * summary object, with extra members in extra_json if not NULL), checks
 * stdout for write errors and returns the exit code to use.
 */
int report_finish(int exit_code, const char *extra_json);

#endif
