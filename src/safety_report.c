/*
 * safety_report.c: how hazards are shown, as text or as JSON events
 * (SPEC section 11), with each code's one-line fix.
 */
#include "safety_internal.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "log.h"
#include "report.h"

static const struct
{
	const char *code;
	const char *hint;
} hints[] = {
	{"rewrite", "add a new column, backfill it in batches, then swap"},
	{"validation-scan", "add it NOT VALID, then VALIDATE CONSTRAINT in a later unit"},
	{"blocks-reads", "split the unit: expand and contract"},
	{"blocks-writes", "CREATE INDEX CONCURRENTLY in a no-transaction unit"},
	{"held-across", "move the statement last, or into its own unit"},
	{"no-lock-timeout", "set lock_timeout; keep no-transaction units to CONCURRENTLY statements"},
};

const char *
safety_code_hint(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(hints[i].code, code) == 0)
			return hints[i].hint;
	return NULL;
}

const char *
safety_mode_name(int mode)
{
	static const char *const names[] = {
		"none",  "ACCESS SHARE",        "ROW SHARE", "ROW EXCLUSIVE",   "SHARE UPDATE EXCLUSIVE",
		"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"};

	return mode >= 0 && mode <= MODE_ACCESS_EXCLUSIVE ? names[mode] : "none";
}

const char *
safety_mode_blocks(int mode)
{
	if (mode == MODE_ACCESS_EXCLUSIVE)
		return "reads and writes";
	if (mode >= MODE_SHARE)
		return "writes";
	return "nothing";
}

static void
report_json_hazard(const struct safety_step *st, const struct safety_hazard *h)
{
	struct buf b;

	buf_init(&b);
	buf_append(&b, "{");
	json_member_string(&b, "event", "hazard");
	json_member_string(&b, "code", h->code);
	json_member_string(&b, "unit", st->label);
	json_member_int(&b, "version", st->version);
	json_member_string(&b, "file", h->file);
	json_member_int(&b, "line", h->line);
	json_member_int(&b, "count", h->count);
	json_member_string(&b, "step", st->up ? "up" : "down");
	json_member_string(&b, "relation", h->relation);
	json_member_string(&b, "lock", safety_mode_name(h->mode));
	json_member_string(&b, "blocks", safety_mode_blocks(h->mode));
	json_member_int(&b, "held_ms", h->held_ms);
	json_member_int(&b, "duration_ms", h->duration_ms);
	json_member_bool(&b, "rewrite", h->rewrite);
	json_member_int(&b, "rows_scanned", h->rows);
	json_member_bool(&b, "accepted", h->accepted);
	json_member_string(&b, "hint", safety_code_hint(h->code));
	buf_append(&b, "}\n");
	fputs(b.data, stdout);
	fflush(stdout);
	buf_free(&b);
}

void
safety_report_hazard(const struct safety_step *st, const struct safety_hazard *h)
{
	char times[32] = "";

	if (report_json())
	{
		report_json_hazard(st, h);
		return;
	}
	if (h->count > 1)
		snprintf(times, sizeof(times), " (x%d)", h->count);
	printf("hazard %s %s:%d%s (%s %s): %s on %s blocks %s for %ld ms", h->code, h->file, h->line,
		   times, st->label, st->up ? "up" : "down", safety_mode_name(h->mode), h->relation,
		   safety_mode_blocks(h->mode), h->held_ms);
	if (h->rewrite)
		printf("; rewritten");
	if (h->rows > 0)
		printf("; %lld rows scanned", h->rows);
	printf("%s\n", h->accepted ? " (accepted)" : "");
	printf("       fix: %s\n", safety_code_hint(h->code));
}

void
safety_report_listed(const struct safety_step *st, const struct safety_hazard *h)
{
	log_debug("%s:%d (%s %s): %s on %s held %ld ms for a catalog change: not a hazard", h->file,
			  h->line, st->label, st->up ? "up" : "down", safety_mode_name(h->mode), h->relation,
			  h->held_ms);
}
