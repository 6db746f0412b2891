/*
 * cmd_status.c: status, version and schema, the read-only commands.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "engine.h"
#include "exitcode.h"
#include "json.h"
#include "log.h"
#include "protect.h"
#include "report.h"
#include "vertext.h"

/* The newest row's stored fingerprint, or NULL. */
static const char *
recorded_hash(const struct history *h)
{
	return h->n > 0 ? h->rows[h->n - 1].schema_hash : NULL;
}

/* An entry's version as its unit's file writes it (a plain number for a row only). */
static const char *
entry_vertext(const struct plan_entry *e, char vt[VERTEXT_SIZE])
{
	return e->unit != NULL ? unitname_version_text(e->unit->file, e->version, vt)
						   : vertext(e->version, vt);
}

static int
check_code(const struct plan_status *st, bool drift)
{
	bool pending = drift;
	size_t i;

	for (i = 0; i < st->n; i++)
	{
		enum unit_state s = st->entries[i].state;

		if (s == UNIT_MODIFIED || s == UNIT_UNKNOWN || s == UNIT_RUNNING)
			return EXIT_INTEGRITY;
		if (s == UNIT_PENDING || s == UNIT_OUT_OF_ORDER)
			pending = true;
	}
	return pending ? EXIT_CHECK : EXIT_OK;
}

/*
 * status's result as members of the summary object: current_version,
 * drift, the hashes and the units.
 */
static void
status_json(const struct plan_status *st, const char *live, const char *recorded, struct buf *b)
{
	size_t i;

	json_member_int(b, "current_version", st->highest_applied);
	if (recorded == NULL || live == NULL)
		json_member_raw(b, "drift", "null");
	else
		json_member_bool(b, "drift", strcmp(live, recorded) != 0);
	json_member_string(b, "live_hash", live);
	json_member_string(b, "recorded_hash", recorded);
	buf_append(b, ",\"units\":[");
	for (i = 0; i < st->n; i++)
	{
		const struct plan_entry *e = &st->entries[i];
		char vt[VERTEXT_SIZE];

		buf_append(b, i ? ",{" : "{");
		json_member_int(b, "version", e->version);
		json_member_string(b, "version_text", entry_vertext(e, vt));
		json_member_string(b, "name", e->name);
		json_member_string(b, "state", plan_state_name(e->state));
		json_member_string(b, "checksum", e->unit ? e->unit->checksum : e->row->checksum);
		json_member_string(b, "applied_at", e->row ? e->row->applied_at : NULL);
		if (e->row)
			json_member_int(b, "duration_ms", e->row->duration_ms);
		else
			json_member_raw(b, "duration_ms", "null");
		buf_append(b, "}");
	}
	buf_append(b, "]");
}

/* The version column's width: the longest version text, at least "version". */
static int
version_width(const struct plan_status *st)
{
	int w = (int) strlen("version");
	size_t i;

	for (i = 0; i < st->n; i++)
	{
		char vt[VERTEXT_SIZE];
		int n = (int) strlen(entry_vertext(&st->entries[i], vt));

		if (n > w)
			w = n;
	}
	return w;
}

static void
print_status_text(const struct plan_status *st, const char *live, const char *recorded)
{
	int w = version_width(st);
	char vt[VERTEXT_SIZE];
	size_t i;

	printf("%-*s  %-30s %-12s %-24s %s\n", w, "version", "name", "state", "applied_at", "duration");
	for (i = 0; i < st->n; i++)
	{
		const struct plan_entry *e = &st->entries[i];

		printf("%-*s  %-30s %-12s %-24s", w, entry_vertext(e, vt), e->name,
			   plan_state_name(e->state), e->row ? e->row->applied_at : "-");
		if (e->row)
			printf(" %d ms\n", e->row->duration_ms);
		else
			printf(" -\n");
	}
	printf("current version: %s\n", vertext(st->highest_applied, vt));
	if (live == NULL)
		printf("schema: drift not checked (--no-drift)\n");
	else if (recorded == NULL)
		printf("schema: %.12s (no fingerprint recorded: drift unknown)\n", live);
	else if (strcmp(live, recorded) == 0)
		printf("schema: %.12s, no drift\n", live);
	else
		printf("schema: drift: live %.12s, recorded %.12s (changed outside migrate)\n", live,
			   recorded);
}

int
cmd_status(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"check", no_argument, NULL, 'c'},
											 {"no-drift", no_argument, NULL, 'D'},
											 {NULL, 0, NULL, 0}};
	bool check = false;
	bool drift = true;
	struct engine e;
	struct history h = {0};
	struct plan_status st = {0};
	char live[65] = "";
	struct buf members;
	bool marked = false;
	bool current = false;
	int c;
	int rc = 0;

	buf_init(&members);
	optind = 1;
	opterr = 0;
	while (rc == 0 && (c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		if (c == 'c')
			check = true;
		else if (c == 'D')
			drift = false;
		else
			rc = cli_usage_error("unknown option \"%s\" for status", argv[optind - 1]);
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage_error("unexpected argument \"%s\" for status", argv[optind]);
	if (rc != 0)
	{
		buf_free(&members);
		return rc;
	}
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = engine_status_drift(&e, &h, &st, &marked, drift ? &current : NULL);
	/*
	 * The fingerprint is most of status's time; the stamp proves, when it
	 * holds, that the recorded one is still the live one.
	 */
	if (rc == 0 && drift)
	{
		const char *recorded = recorded_hash(&h);

		if (current && recorded != NULL && strlen(recorded) == 64)
		{
			memcpy(live, recorded, 65);
			log_debug("the catalog has not changed since the recorded fingerprint (its stamp "
					  "holds): not recomputed");
		}
		else if (rc == 0)
			rc = engine_fingerprint(&e, live, NULL);
	}
	if (rc == 0)
	{
		const char *recorded = recorded_hash(&h);
		const char *l = drift ? live : NULL;

		if (cli->json)
		{
			status_json(&st, l, recorded, &members);
			json_member_bool(&members, "protected", marked);
		}
		else if (!cli->quiet)
		{
			print_status_text(&st, l, recorded);
			printf("protection: %s\n", marked ? "the database is marked as protected (\"migrate "
												"unprotect --force\" removes the mark)"
											  : "not marked");
		}
		if (check)
			rc = check_code(&st, l != NULL && recorded != NULL && strcmp(l, recorded) != 0);
	}
	plan_status_free(&st);
	history_free(&h);
	engine_close(&e);
	report_summary_add(members.data);
	buf_free(&members);
	return rc;
}

int
cmd_version(struct cli *cli, int argc, char **argv)
{
	struct engine e;
	struct history h = {0};
	struct plan_status st = {0};
	char vt[VERTEXT_SIZE];
	char members[64] = "";
	int rc;

	if (argc > 1)
		return cli_usage_error("unexpected argument \"%s\" for version", argv[1]);
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = engine_status(&e, &h, &st);
	if (rc == 0 && cli->json)
		snprintf(members, sizeof(members), "\"current_version\":%lld", st.highest_applied);
	else if (rc == 0)
		printf("%s\n", vertext(st.highest_applied, vt));
	plan_status_free(&st);
	history_free(&h);
	engine_close(&e);
	report_summary_add(members);
	return rc;
}

int
cmd_schema(struct cli *cli, int argc, char **argv)
{
	struct engine e;
	struct buf text;
	char hex[65];
	int rc;

	if (argc > 1)
		return cli_usage_error("unexpected argument \"%s\" for schema", argv[1]);
	buf_init(&text);
	rc = engine_open(&e, &cli->cfg);
	if (rc == 0)
		rc = engine_fingerprint(&e, hex, &text);
	if (rc == 0 && cli->json)
	{
		struct buf b;

		buf_init(&b);
		json_member_string(&b, "hash", hex);
		json_member_string(&b, "text", text.data);
		report_summary_add(b.data);
		buf_free(&b);
	}
	else if (rc == 0)
		fputs(text.data, stdout);
	buf_free(&text);
	engine_close(&e);
	return rc;
}
