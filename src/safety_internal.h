/*
 * safety_internal.h: what safety.c (observation, classification) hands
 * to safety_report.c (text and JSON output).
 */
#ifndef MIGRATE_SAFETY_INTERNAL_H
#define MIGRATE_SAFETY_INTERNAL_H

#include <stdbool.h>

/* Table lock modes, weakest first, as PostgreSQL orders them. */
enum safety_mode
{
	MODE_NONE = 0,
	MODE_ACCESS_SHARE,
	MODE_ROW_SHARE,
	MODE_ROW_EXCLUSIVE,
	MODE_SHARE_UPDATE_EXCLUSIVE,
	MODE_SHARE, /* the first mode that blocks other sessions' writes */
	MODE_SHARE_ROW_EXCLUSIVE,
	MODE_EXCLUSIVE,
	MODE_ACCESS_EXCLUSIVE /* blocks reads too */
};

/* One hazard (or, with code NULL, a blocking lock that is none). */
struct safety_hazard
{
	const char *code; /* static: "rewrite", "validation-scan"... or NULL */
	const char *file; /* the statement's unit file (static, from the unit) */
	int line;
	int count; /* how often that line ran in the step */
	long duration_ms; /* how long its runs took together */
	unsigned int oid;
	char *relation; /* owned: "users", or "schema.t" outside public */
	char *qualified; /* owned: always "schema.t" */
	int mode; /* strongest lock held on it after the statement */
	bool rewrite;
	long long rows; /* rows its sequential scans read in the statement */
	double taken_ms; /* when the statement began, from the step's start */
	double stmt_ms; /* the statement's duration */
	long held_ms; /* until the end of the step */
	int seq; /* the statement's number in the step */
	bool lock_timeout_zero; /* lock_timeout was 0 when it was taken */
	bool accepted;
};

/* Which step of which unit the hazards are about. */
struct safety_step
{
	const char *label; /* "0006_change_type" */
	long long version;
	const char *name;
	bool up;
};

/* Prints one hazard (a line pair, or a JSON event). */
void safety_report_hazard(const struct safety_step *st, const struct safety_hazard *h);

/* For -v: a blocking lock that is not a hazard (a catalog change). */
void safety_report_listed(const struct safety_step *st, const struct safety_hazard *h);

/* "ACCESS EXCLUSIVE"...; what a mode blocks ("reads and writes"...). */
const char *safety_mode_name(int mode);
const char *safety_mode_blocks(int mode);

/* The one-line fix for a hazard code; NULL for an unknown code. */
const char *safety_code_hint(const char *code);

#endif
