/*
 * cfg.c: the runner's settings (SPEC section 7).
 *
 * Loading goes in three passes over the tree that cfg_yaml.c builds:
 *
 *   1. walk the top level and every environment, checking each key against
 *      one table {key, type, handler} (netplan's parse.c does the same),
 *      the shape of each value, and every value written literally;
 *   2. choose the environment: -e, else MIGRATE_ENV, else
 *      default_environment;
 *   3. for each key take the winner of option > environment variable >
 *      selected environment > top level > default, expanding ${VAR} in the
 *      file's value only when it is the one used.
 *
 * Checking literal values everywhere means a typo in the production
 * section is found on a laptop too; expanding only what is used means a
 * top-level ${DATABASE_URL} that the selected environment overrides need
 * not be set.
 */
#include "cfg.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cfg_yaml.h"
#include "dotenv.h"
#include "duration.h"
#include "exitcode.h"
#include "expand.h"
#include "log.h"

#define DEFAULT_CONFIG "migrate.yaml"
#define DEFAULT_HISTORY_TABLE "public.schema_migrations"
#define DEFAULT_MIGRATIONS_DIR "migrations"
#define MAX_IDENTIFIER 63
#define MAX_SHOWN 60

enum cfg_key_id
{
	K_DEFAULT_ENVIRONMENT,
	K_DATABASE_URL,
	K_DIRECT_URL,
	K_HISTORY_TABLE,
	K_MIGRATIONS_DIR,
	K_LOCK_TIMEOUT,
	K_LOCK_RETRIES,
	K_STATEMENT_TIMEOUT,
	K_CONNECT_RETRIES,
	K_CONNECT_TIMEOUT,
	K_OUT_OF_ORDER,
	K_PROTECTED,
	K_ENVIRONMENTS,
	CFG_NKEYS
};

/* One value on its way into the struct, and what messages may say of it. */
struct cfg_value
{
	const char *text; /* what to parse; NULL for an empty value */
	const char *origin; /* "lock_timeout", "MIGRATE_LOCK_TIMEOUT"... */
	const char *shown; /* what messages may quote, or NULL */
	bool expanded; /* text came from expanding shown */
	const struct cy_node *node; /* where it is written, or NULL */
};

/* The keys of one mapping: value nodes and key nodes, by key id. */
struct cfg_slots
{
	const struct cy_node *value[CFG_NKEYS];
	const struct cy_node *key[CFG_NKEYS];
};

struct cfg_loader
{
	struct cy_source src;
	bool has_file;
	const struct cfg_options *opts;
	struct cy_node *root;
	struct cfg_slots top;
	struct cfg_slots env; /* the selected environment's */
	const struct cy_node *envs_key; /* "environments", or NULL */
	const struct cy_node *envs; /* its mapping, or NULL */
	bool env_found;
};

typedef int (*cfg_handler)(const struct cfg_loader *ld, const struct cfg_value *v, void *field);

#define CFG_TOP_ONLY 0x01 /* not inside an environment */
#define CFG_NULLABLE 0x02 /* an empty value unsets it */

struct cfg_key
{
	const char *name;
	const char *what; /* "X must be <what>, not a mapping" */
	cfg_handler handler; /* NULL: "environments", walked apart */
	size_t offset; /* of the field in struct migrate_config */
	const char *env_var; /* the variable that overrides it, or NULL */
	int flags;
};

static int set_name(const struct cfg_loader *, const struct cfg_value *, void *);
static int set_url(const struct cfg_loader *, const struct cfg_value *, void *);
static int set_table(const struct cfg_loader *, const struct cfg_value *, void *);
static int set_string(const struct cfg_loader *, const struct cfg_value *, void *);
static int set_duration(const struct cfg_loader *, const struct cfg_value *, void *);
static int set_count(const struct cfg_loader *, const struct cfg_value *, void *);
static int set_bool(const struct cfg_loader *, const struct cfg_value *, void *);
static int cfg_fail(const struct cfg_loader *ld, const struct cfg_value *v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define FIELD(f) offsetof(struct migrate_config, f)

static const struct cfg_key cfg_keys[CFG_NKEYS] = {
	[K_DEFAULT_ENVIRONMENT] = {"default_environment", "an environment name", set_name,
							   FIELD(environment), "MIGRATE_ENV", CFG_TOP_ONLY | CFG_NULLABLE},
	[K_DATABASE_URL] = {"database_url", "a connection string", set_url, FIELD(database_url),
						"DATABASE_URL", CFG_NULLABLE},
	[K_DIRECT_URL] = {"direct_url", "a connection string", set_url, FIELD(direct_url),
					  "MIGRATE_DIRECT_URL", CFG_NULLABLE},
	[K_HISTORY_TABLE] = {"history_table", "a table name", set_table, FIELD(history_table),
						 "MIGRATE_HISTORY_TABLE", 0},
	[K_MIGRATIONS_DIR] = {"migrations_dir", "a directory", set_string, FIELD(migrations_dir),
						  "MIGRATE_MIGRATIONS_DIR", 0},
	[K_LOCK_TIMEOUT] = {"lock_timeout", "a duration", set_duration, FIELD(lock_timeout_ms),
						"MIGRATE_LOCK_TIMEOUT", 0},
	[K_LOCK_RETRIES] = {"lock_retries", "a whole number in range 0..100", set_count,
						FIELD(lock_retries), "MIGRATE_LOCK_RETRIES", 0},
	[K_STATEMENT_TIMEOUT] = {"statement_timeout", "a duration", set_duration,
							 FIELD(statement_timeout_ms), "MIGRATE_STATEMENT_TIMEOUT", 0},
	[K_CONNECT_RETRIES] = {"connect_retries", "a whole number in range 0..100", set_count,
						   FIELD(connect_retries), "MIGRATE_CONNECT_RETRIES", 0},
	[K_CONNECT_TIMEOUT] = {"connect_timeout", "a duration", set_duration, FIELD(connect_timeout_ms),
						   "MIGRATE_CONNECT_TIMEOUT", 0},
	[K_OUT_OF_ORDER] = {"out_of_order", "true or false", set_bool, FIELD(out_of_order),
						"MIGRATE_OUT_OF_ORDER", 0},
	[K_PROTECTED] = {"protected", "true or false", set_bool, FIELD(protected_env), NULL, 0},
	[K_ENVIRONMENTS] = {"environments", "a mapping of environment names to settings", NULL, 0, NULL,
						CFG_TOP_ONLY | CFG_NULLABLE},
};

void
cfg_clear_environment(void)
{
	size_t i;

	unsetenv("MIGRATE_CONFIG");
	for (i = 0; i < CFG_NKEYS; i++)
		if (cfg_keys[i].env_var != NULL)
			unsetenv(cfg_keys[i].env_var);
}

/* ------------------------------------------------------------ messages */

/* Reports at the value's place in the file, or plainly.  Returns -1. */
static int
cfg_fail(const struct cfg_loader *ld, const struct cfg_value *v, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (v != NULL && v->node != NULL)
		cy_report(&ld->src, v->node->line, v->node->column, "%s", msg);
	else
		log_error("%s", msg);
	free(msg);
	return -1;
}

/*
 * The value as messages may quote it: "5s", or "${X}" (expanded) when it
 * came from the environment, or nothing for a variable's value, which may
 * be a secret from .env.  prefix: "\"5s\" "; else ", not \"5s\"".
 */
static char *
shown(const struct cfg_value *v, bool prefix)
{
	struct buf b;

	buf_init(&b);
	if (v->shown != NULL)
	{
		bool cut = strlen(v->shown) > MAX_SHOWN;

		buf_printf(&b, "%s\"%.*s%s\"%s%s", prefix ? "" : ", not ", MAX_SHOWN, v->shown,
				   cut ? "..." : "", v->expanded ? " (expanded)" : "", prefix ? " " : "");
	}
	return buf_detach(&b); /* the caller frees it */
}

/* ------------------------------------------------------------ handlers */

/*
 * Each handler parses v->text into the field and returns 0, or reports
 * and returns -1 leaving the field as it was.
 */

static void
replace_string(void *field, const char *value)
{
	char **p = field;

	free(*p);
	*p = xstrdup(value);
}

static int
set_name(const struct cfg_loader *ld, const struct cfg_value *v, void *field)
{
	if (v->text != NULL && v->text[0] == '\0')
		return cfg_fail(ld, v, "%s must not be empty", v->origin);
	replace_string(field, v->text);
	return 0;
}

/* A connection string is libpq's to judge; an empty one means none. */
static int
set_url(const struct cfg_loader *ld, const struct cfg_value *v, void *field)
{
	(void) ld;
	replace_string(field, v->text != NULL && v->text[0] != '\0' ? v->text : NULL);
	return 0;
}

static int
set_string(const struct cfg_loader *ld, const struct cfg_value *v, void *field)
{
	if (v->text[0] == '\0')
		return cfg_fail(ld, v, "%s must not be empty", v->origin);
	replace_string(field, v->text);
	return 0;
}

/* Why name[0..len) is no identifier, or NULL when it is one. */
static const char *
identifier_problem(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return "write NAME or SCHEMA.NAME";
	if (len > MAX_IDENTIFIER)
		return "a name is longer than 63 bytes";
	for (i = 0; i < len; i++)
	{
		char c = name[i];
		bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';

		if (!letter && (i == 0 || !((c >= '0' && c <= '9') || c == '$')))
			return "a name starts with a letter or \"_\" and holds only letters, digits, \"_\" and "
				   "\"$\"";
	}
	return NULL;
}

/* "name" or "schema.name"; stored as "schema.name", public by default. */
static int
set_table(const struct cfg_loader *ld, const struct cfg_value *v, void *field)
{
	const char *dot = strchr(v->text, '.');
	const char *problem;
	char *what;
	struct buf b;

	if (dot == NULL)
		problem = identifier_problem(v->text, strlen(v->text));
	else if (strchr(dot + 1, '.') != NULL)
		problem = "write NAME or SCHEMA.NAME";
	else if ((problem = identifier_problem(v->text, (size_t) (dot - v->text))) == NULL)
		problem = identifier_problem(dot + 1, strlen(dot + 1));
	if (problem != NULL)
	{
		what = shown(v, true);
		cfg_fail(ld, v, "invalid table name %sfor %s: %s", what, v->origin, problem);
		free(what);
		return -1;
	}
	buf_init(&b);
	buf_printf(&b, "%s%s", dot ? "" : "public.", v->text);
	free(*(char **) field);
	*(char **) field = buf_detach(&b);
	return 0;
}

static int
set_duration(const struct cfg_loader *ld, const struct cfg_value *v, void *field)
{
	long ms;
	char *what;
	int rc = duration_parse(v->text, &ms);

	if (rc == 0)
	{
		*(long *) field = ms;
		return 0;
	}
	what = shown(v, true);
	if (rc == -2)
		cfg_fail(ld, v, "duration %sfor %s is out of range: at most %ld ms (about 24 days)", what,
				 v->origin, DURATION_MAX_MS);
	else
		cfg_fail(ld, v, "invalid duration %sfor %s: use ms, s, min or h, or 0 for no limit", what,
				 v->origin);
	free(what);
	return -1;
}

/*
 * Retries (lock_retries, connect_retries): a whole number in 0..CFG_MAX_RETRIES,
 * so that "retries + 1" and the waits it multiplies stay far from overflowing
 * (PostgreSQL's option_parse_int checks a range the same way).
 */
#define CFG_MAX_RETRIES 100

static int
set_count(const struct cfg_loader *ld, const struct cfg_value *v, void *field)
{
	const char *p = v->text;
	long long n = 0;
	char *what;

	for (; p != NULL && *p >= '0' && *p <= '9' && n <= CFG_MAX_RETRIES; p++)
		n = n * 10 + (*p - '0');
	if (p != NULL && p != v->text && *p == '\0' && n <= CFG_MAX_RETRIES)
	{
		*(int *) field = (int) n;
		return 0;
	}
	what = shown(v, false);
	if (p != NULL && p != v->text && ((*p >= '0' && *p <= '9') || *p == '\0'))
		cfg_fail(ld, v, "%s must be in range 0..%d%s", v->origin, CFG_MAX_RETRIES, what);
	else
		cfg_fail(ld, v, "%s must be a whole number in range 0..%d%s", v->origin, CFG_MAX_RETRIES,
				 what);
	free(what);
	return -1;
}

/* YAML 1.2's core schema: no yes/no/on/off, which surprise people. */
static int
set_bool(const struct cfg_loader *ld, const struct cfg_value *v, void *field)
{
	static const char *const yes[] = {"true", "True", "TRUE"};
	static const char *const no[] = {"false", "False", "FALSE"};
	char *what;
	size_t i;

	for (i = 0; i < 3; i++)
	{
		if (strcmp(v->text, yes[i]) == 0 || strcmp(v->text, no[i]) == 0)
		{
			*(bool *) field = strcmp(v->text, yes[i]) == 0;
			return 0;
		}
	}
	what = shown(v, false);
	cfg_fail(ld, v, "%s must be true or false%s", v->origin, what);
	free(what);
	return -1;
}

/* --------------------------------------------------------------- hints */

static char
tolower_ascii(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/* Edit distance, ignoring case, capped at 9 for long words. */
static int
distance(const char *a, const char *b)
{
	int row[64];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la >= 63 || lb >= 63)
		return 9;
	for (j = 0; j <= lb; j++)
		row[j] = (int) j;
	for (i = 1; i <= la; i++)
	{
		int diag = row[0];

		row[0] = (int) i;
		for (j = 1; j <= lb; j++)
		{
			int up = row[j];
			int best = diag + (tolower_ascii(a[i - 1]) != tolower_ascii(b[j - 1]));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[lb];
}

/* Whether word is close enough to candidate to suggest it. */
static bool
close_to(const char *word, const char *candidate)
{
	int d = distance(word, candidate);

	return d <= 2 && (size_t) d * 3 <= strlen(candidate);
}

/* The known key closest to name that may appear where name is, or NULL. */
static const char *
closest_key(const char *name, bool top)
{
	const char *best = NULL;
	int best_d = 99;
	size_t k;

	for (k = 0; k < CFG_NKEYS; k++)
	{
		int d = distance(name, cfg_keys[k].name);

		if ((top || !(cfg_keys[k].flags & CFG_TOP_ONLY)) && d < best_d &&
			close_to(name, cfg_keys[k].name))
		{
			best = cfg_keys[k].name;
			best_d = d;
		}
	}
	return best;
}

/*
 * The defined environment that name most likely means: a close spelling,
 * else the only one that name begins ("prod" for "production"), else NULL.
 */
static const char *
closest_environment(const struct cy_node *envs, const char *name)
{
	const char *prefixed = NULL;
	int prefixes = 0;
	size_t i;

	for (i = 0; i < envs->count; i += 2)
	{
		const char *env = envs->children[i].text;

		if (close_to(name, env))
			return env;
		if (strlen(name) >= 2 && strncasecmp(env, name, strlen(name)) == 0)
		{
			prefixed = env;
			prefixes++;
		}
	}
	return prefixes == 1 ? prefixed : NULL;
}

/* "did you mean" for an environment, else the list of them. */
static void
hint_environments(const struct cfg_loader *ld, const char *name)
{
	struct buf list;
	const char *guess;
	size_t i;

	if (ld->envs == NULL || ld->envs->count == 0)
	{
		log_hint("define it under \"environments:\" in %s", ld->src.name);
		return;
	}
	if ((guess = closest_environment(ld->envs, name)) != NULL)
	{
		log_hint("did you mean \"%s\"?", guess);
		return;
	}
	buf_init(&list);
	for (i = 0; i < ld->envs->count; i += 2)
		buf_printf(&list, "%s\"%s\"", i ? ", " : "", ld->envs->children[i].text);
	log_hint("the environments are %s", list.data);
	buf_free(&list);
}

/* ----------------------------------------------------- pass 1: the walk */

static int node_fail(const struct cfg_loader *ld, const struct cy_node *node, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
node_fail(const struct cfg_loader *ld, const struct cy_node *node, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	cy_report(&ld->src, node->line, node->column, "%s", msg);
	free(msg);
	return -1;
}

static int
lookup_key(const char *name)
{
	int k;

	for (k = 0; k < CFG_NKEYS; k++)
		if (strcmp(name, cfg_keys[k].name) == 0)
			return k;
	return -1;
}

static int
unknown_key(const struct cfg_loader *ld, const struct cy_node *key, const struct cy_node *value,
			bool top)
{
	const char *guess = closest_key(key->text, top);
	int k = lookup_key(key->text);

	if (k >= 0)
		return node_fail(ld, key,
						 "\"%s\" is allowed only at the top level, not inside an environment",
						 key->text);
	node_fail(ld, key, "unknown key \"%s\"", key->text);
	if (guess != NULL)
		log_hint("did you mean \"%s\"?", guess);
	else if (top && value->kind == CY_MAPPING)
		log_hint("an environment goes under \"environments:\"");
	return -1;
}

/* A value written without "$" is checked wherever it is. */
static int
check_literal(const struct cfg_loader *ld, const struct cfg_key *key, const struct cy_node *value)
{
	struct migrate_config scratch;
	struct cfg_value v = {value->text, key->name, value->text, false, value};
	int rc;

	if (value->is_null || expand_needed(value->text) || key->handler == NULL)
		return 0;
	memset(&scratch, 0, sizeof(scratch));
	rc = key->handler(ld, &v, (char *) &scratch + key->offset);
	cfg_free(&scratch);
	return rc;
}

static int
check_value(const struct cfg_loader *ld, const struct cfg_key *key, const struct cy_node *value)
{
	if (key->handler == NULL && value->kind == CY_MAPPING)
		return 0;
	if (value->kind != CY_SCALAR || (key->handler == NULL && !value->is_null))
		return node_fail(ld, value, "%s must be %s, not %s", key->name, key->what,
						 cy_kind_name(value));
	if (value->is_null && !(key->flags & CFG_NULLABLE))
		return node_fail(ld, value, "%s must be %s, not empty", key->name, key->what);
	return check_literal(ld, key, value);
}

/*
 * Checks one mapping of settings, the top level (top) or an environment,
 * filling slots with its keys.
 */
static int
walk_settings(const struct cfg_loader *ld, const struct cy_node *map, bool top,
			  struct cfg_slots *slots)
{
	size_t i;

	for (i = 0; i + 1 < map->count; i += 2)
	{
		const struct cy_node *key = &map->children[i];
		const struct cy_node *value = &map->children[i + 1];
		int k;

		if (key->kind != CY_SCALAR || key->is_null)
			return node_fail(ld, key, "a key must be a name, not %s", cy_kind_name(key));
		k = lookup_key(key->text);
		if (k < 0 || (!top && (cfg_keys[k].flags & CFG_TOP_ONLY)))
			return unknown_key(ld, key, value, top);
		if (slots->key[k] != NULL)
		{
			node_fail(ld, key, "duplicate key \"%s\"", key->text);
			log_detail("it was first given at line %d, column %d", slots->key[k]->line,
					   slots->key[k]->column);
			return -1;
		}
		slots->key[k] = key;
		slots->value[k] = value;
		if (check_value(ld, &cfg_keys[k], value) != 0)
			return -1;
	}
	return 0;
}

/* Whether name is among the first count environment names of envs. */
static const struct cy_node *
earlier_environment(const struct cy_node *envs, size_t count, const char *name)
{
	size_t i;

	for (i = 0; i < count; i += 2)
		if (strcmp(envs->children[i].text, name) == 0)
			return &envs->children[i];
	return NULL;
}

/*
 * Checks every environment, keeping the slots of the one named selected
 * (NULL: none) in ld->env.
 */
static int
walk_environments(struct cfg_loader *ld, const char *selected)
{
	const struct cy_node *envs = ld->envs;
	size_t i;

	for (i = 0; envs != NULL && i + 1 < envs->count; i += 2)
	{
		const struct cy_node *name = &envs->children[i];
		const struct cy_node *value = &envs->children[i + 1];
		const struct cy_node *first;
		struct cfg_slots slots;

		if (name->kind != CY_SCALAR || name->is_null || name->text[0] == '\0')
			return node_fail(ld, name, "an environment name must be a name, not %s",
							 name->kind == CY_SCALAR ? "empty" : cy_kind_name(name));
		if ((first = earlier_environment(envs, i, name->text)) != NULL)
		{
			node_fail(ld, name, "duplicate environment \"%s\"", name->text);
			log_detail("it was first defined at line %d, column %d", first->line, first->column);
			return -1;
		}
		if (value->kind != CY_MAPPING && !(value->kind == CY_SCALAR && value->is_null))
			return node_fail(ld, value, "environment \"%s\" must be a mapping of settings, not %s",
							 name->text, cy_kind_name(value));
		memset(&slots, 0, sizeof(slots));
		if (value->kind == CY_MAPPING && walk_settings(ld, value, false, &slots) != 0)
			return -1;
		if (selected != NULL && strcmp(selected, name->text) == 0)
		{
			ld->env = slots;
			ld->env_found = true;
		}
	}
	return 0;
}

static int
walk_top(struct cfg_loader *ld)
{
	const struct cy_node *envs;

	if (ld->root->kind != CY_MAPPING)
		return node_fail(ld, ld->root,
						 "the configuration must be a mapping of keys to values, not %s",
						 cy_kind_name(ld->root));
	if (walk_settings(ld, ld->root, true, &ld->top) != 0)
		return -1;
	envs = ld->top.value[K_ENVIRONMENTS];
	ld->envs_key = ld->top.key[K_ENVIRONMENTS];
	ld->envs = envs != NULL && envs->kind == CY_MAPPING ? envs : NULL;
	return 0;
}

/* ----------------------------------------------- pass 3: the winners */

static const char *
env_lookup(const char *name, void *arg)
{
	(void) arg;
	return getenv(name);
}

/*
 * Expands a node's text (lookup NULL: checks its syntax only).  Returns 0
 * and sets *out, or reports at the "$" at fault and returns -1.
 */
static int
expand_node(const struct cfg_loader *ld, const char *key, const struct cy_node *node,
			expand_lookup_fn lookup, char **out)
{
	struct expand_error err;
	size_t i;
	int column = node->column;

	if (expand_vars(node->text, lookup, NULL, out, &err) == 0)
		return 0;
	if (node->text_column > 0)
	{
		column = node->text_column;
		for (i = 0; i < err.offset; i++)
			column += ((unsigned char) node->text[i] & 0xC0) != 0x80;
	}
	cy_report(&ld->src, node->line, column, "cannot expand %s: %s", key, err.message);
	if (err.variable != NULL)
		log_hint("set %s in the environment or in .env, or give a default: ${%s:-...}",
				 err.variable, err.variable);
	expand_error_free(&err);
	return -1;
}

/* Checks the ${...} syntax of a value that is not used. */
static int
check_syntax(const struct cfg_loader *ld, const char *key, const struct cy_node *node)
{
	char *out = NULL;

	if (node == NULL || node->is_null || !expand_needed(node->text))
		return 0;
	return expand_node(ld, key, node, NULL, &out);
}

static int
apply_node(const struct cfg_loader *ld, const struct cfg_key *key, const struct cy_node *node,
		   struct migrate_config *cfg)
{
	struct cfg_value v = {node->text, key->name, node->text, false, node};
	char *expanded = NULL;
	int rc;

	if (node->is_null)
		v.text = NULL;
	else if (expand_needed(node->text))
	{
		if (expand_node(ld, key->name, node, env_lookup, &expanded) != 0)
			return -1;
		v.text = expanded;
		v.expanded = true;
	}
	rc = key->handler(ld, &v, (char *) cfg + key->offset);
	free(expanded);
	return rc;
}

/* The command-line value for key k, or NULL; *flag names the option. */
static const char *
option_for(const struct cfg_options *opts, int k, const char **flag)
{
	if (opts == NULL)
		return NULL;
	switch (k)
	{
		case K_DEFAULT_ENVIRONMENT:
			*flag = "--env";
			return opts->environment;
		case K_DATABASE_URL:
			*flag = "--database-url";
			return opts->database_url;
		case K_LOCK_TIMEOUT:
			*flag = "--lock-timeout";
			return opts->lock_timeout;
		case K_STATEMENT_TIMEOUT:
			*flag = "--statement-timeout";
			return opts->statement_timeout;
		default:
			return NULL;
	}
}

/* The overriding variable's value; an empty one counts as unset. */
static const char *
env_value(const struct cfg_key *key)
{
	const char *value = key->env_var ? getenv(key->env_var) : NULL;

	return value != NULL && value[0] != '\0' ? value : NULL;
}

/*
 * Sets key k from the winner of option > variable > selected environment
 * > top level, checking the variable even when an option overrides it.
 */
static int
resolve_key(const struct cfg_loader *ld, int k, struct migrate_config *cfg)
{
	const struct cfg_key *key = &cfg_keys[k];
	const char *flag = NULL;
	const char *opt = option_for(ld->opts, k, &flag);
	const char *env = env_value(key);
	const struct cy_node *node = ld->env.value[k] ? ld->env.value[k] : ld->top.value[k];
	void *field = (char *) cfg + key->offset;

	if (opt == NULL && env == NULL && node != NULL)
	{
		if (apply_node(ld, key, node, cfg) != 0)
			return -1;
	}
	else if (check_syntax(ld, key->name, node) != 0)
		return -1;
	if (ld->env.value[k] != NULL && check_syntax(ld, key->name, ld->top.value[k]) != 0)
		return -1;
	if (env != NULL &&
		key->handler(ld, &(struct cfg_value){env, key->env_var, NULL, false, NULL}, field) != 0)
		return -1;
	if (opt != NULL &&
		key->handler(ld, &(struct cfg_value){opt, flag, opt, false, NULL}, field) != 0)
		return -1;
	return 0;
}

/* -------------------------------------- pass 2: choosing the environment */

static int
missing_environment(const struct cfg_loader *ld, const char *name, const char *origin)
{
	const struct cy_node *deflt = ld->top.value[K_DEFAULT_ENVIRONMENT];

	if (strcmp(origin, "default_environment") == 0)
		node_fail(ld, deflt, "default_environment \"%s\" is not defined under \"environments\"",
				  name);
	else if (ld->envs_key != NULL)
		node_fail(ld, ld->envs_key, "environment \"%s\" selected by %s is not defined", name,
				  origin);
	else if (ld->has_file)
		log_error("environment \"%s\" selected by %s is not defined: %s has no \"environments\"",
				  name, origin, ld->src.name);
	else
	{
		log_error(
			"environment \"%s\" selected by %s is not defined: there is no configuration file",
			name, origin);
		log_hint("create %s, or name one with -c FILE or MIGRATE_CONFIG", DEFAULT_CONFIG);
		return -1;
	}
	hint_environments(ld, name);
	return -1;
}

/*
 * Sets cfg->environment from -e, MIGRATE_ENV or default_environment, then
 * checks every environment and keeps the selected one's settings.
 */
static int
select_environment(struct cfg_loader *ld, struct migrate_config *cfg)
{
	const char *origin = "default_environment";

	if (resolve_key(ld, K_DEFAULT_ENVIRONMENT, cfg) != 0 ||
		walk_environments(ld, cfg->environment) != 0)
		return -1;
	if (cfg->environment == NULL || ld->env_found)
		return 0;
	if (ld->opts != NULL && ld->opts->environment != NULL)
		origin = "--env";
	else if (env_value(&cfg_keys[K_DEFAULT_ENVIRONMENT]) != NULL)
		origin = "MIGRATE_ENV";
	return missing_environment(ld, cfg->environment, origin);
}

/* Whether cfg_load's .env (rather than the process) set DATABASE_URL. */
static bool database_url_from_dotenv;

/*
 * SPEC 5: an environment selected explicitly (-e, MIGRATE_ENV) that names
 * its own database_url conflicts with an ambient DATABASE_URL unless -d
 * names the target, so that nothing silently goes to another database
 * than the one the environment names.  Names both sources, never values.
 */
static int
check_url_conflict(const struct cfg_loader *ld, const struct migrate_config *cfg)
{
	const struct cy_node *own = ld->env.value[K_DATABASE_URL];
	const char *selected_by = NULL;

	if (ld->opts != NULL && ld->opts->database_url != NULL)
		return 0;
	if (ld->opts != NULL && ld->opts->environment != NULL)
		selected_by = "-e";
	else if (env_value(&cfg_keys[K_DEFAULT_ENVIRONMENT]) != NULL)
		selected_by = "MIGRATE_ENV";
	if (selected_by == NULL || own == NULL || own->is_null ||
		env_value(&cfg_keys[K_DATABASE_URL]) == NULL)
		return 0;
	node_fail(ld, own,
			  "environment \"%s\" (selected by %s) has its own database_url, but DATABASE_URL is "
			  "also set (%s): refusing to guess which database is meant",
			  cfg->environment, selected_by,
			  database_url_from_dotenv ? "by .env" : "in the process environment");
	log_hint("give the target with -d, or unset DATABASE_URL%s to use the environment's",
			 database_url_from_dotenv ? " (remove it from .env)" : "");
	return -1;
}

/* ---------------------------------------------------------- the module */

static int
load(struct cfg_loader *ld, struct migrate_config *cfg)
{
	int k;

	if (ld->has_file)
	{
		if (cy_parse(&ld->src, &ld->root) != 0)
			return -1;
		if (ld->root != NULL && walk_top(ld) != 0)
			return -1;
		cfg->config_path = xstrdup(ld->src.name);
	}
	if (select_environment(ld, cfg) != 0 || check_url_conflict(ld, cfg) != 0)
		return -1;
	for (k = 0; k < CFG_NKEYS; k++)
	{
		if (k != K_DEFAULT_ENVIRONMENT && cfg_keys[k].handler != NULL &&
			resolve_key(ld, k, cfg) != 0)
			return -1;
	}
	return 0;
}

int
cfg_load_text(const char *name, const char *text, size_t len, const struct cfg_options *opts,
			  struct migrate_config *cfg)
{
	struct cfg_loader ld;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.src.name = name != NULL ? name : DEFAULT_CONFIG;
	ld.src.text = text;
	ld.src.len = text != NULL ? len : 0;
	ld.has_file = text != NULL;
	ld.opts = opts;
	cfg_defaults(cfg);
	rc = load(&ld, cfg);
	cy_free(ld.root);
	if (rc == 0)
		return 0;
	cfg_free(cfg);
	return EXIT_USAGE;
}

/* The whole file; returns 0, or an errno value with *what "open" or "read". */
static int
read_file(const char *path, char **text, size_t *len, const char **what)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;
	int err = 0;

	*what = "open";
	if (f == NULL)
		return errno;
	*what = "read";
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append_len(&b, chunk, n);
	if (ferror(f))
		err = errno ? errno : EIO;
	fclose(f);
	if (err != 0)
	{
		buf_free(&b);
		return err;
	}
	*len = b.len;
	*text = buf_detach(&b); /* the caller frees it */
	return 0;
}

int
cfg_load(const struct cfg_options *opts, struct migrate_config *cfg)
{
	const char *path = opts != NULL ? opts->config_file : NULL;
	const char *what;
	char *text = NULL;
	size_t len = 0;
	int err, rc;

	memset(cfg, 0, sizeof(*cfg));
	database_url_from_dotenv = env_value(&cfg_keys[K_DATABASE_URL]) == NULL;
	if (dotenv_load(".env") != 0)
		return EXIT_USAGE;
	database_url_from_dotenv =
		database_url_from_dotenv && env_value(&cfg_keys[K_DATABASE_URL]) != NULL;
	if (path == NULL && getenv("MIGRATE_CONFIG") != NULL && getenv("MIGRATE_CONFIG")[0] != '\0')
		path = getenv("MIGRATE_CONFIG");
	err = read_file(path != NULL ? path : DEFAULT_CONFIG, &text, &len, &what);
	if (err == ENOENT && path == NULL)
		return cfg_load_text(NULL, NULL, 0, opts, cfg);
	if (err != 0)
	{
		log_error("could not %s \"%s\": %s", what, path != NULL ? path : DEFAULT_CONFIG,
				  strerror(err));
		return EXIT_USAGE;
	}
	rc = cfg_load_text(path != NULL ? path : DEFAULT_CONFIG, text, len, opts, cfg);
	free(text);
	return rc;
}

void
cfg_defaults(struct migrate_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->history_table = xstrdup(DEFAULT_HISTORY_TABLE);
	cfg->migrations_dir = xstrdup(DEFAULT_MIGRATIONS_DIR);
	cfg->lock_timeout_ms = 5000;
	cfg->lock_retries = 3;
	cfg->statement_timeout_ms = 0;
	cfg->connect_retries = 5;
	cfg->connect_timeout_ms = 10000;
	cfg->out_of_order = false;
	cfg->protected_env = false;
}

void
cfg_free(struct migrate_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->config_path);
	free(cfg->environment);
	free(cfg->database_url);
	free(cfg->direct_url);
	free(cfg->history_table);
	free(cfg->migrations_dir);
	memset(cfg, 0, sizeof(*cfg));
}
