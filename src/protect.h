/*
 * protect.h: protection recorded in the database itself (SPEC 5), so that
 * it holds however the target was named: a mark that "migrate protect"
 * and every changing run in a protected environment set, and that refuses
 * the protected commands (down, redo, drop-db, unprotect) without --force.
 *
 * The mark is the comment "migrate:protected" on the history table: the
 * role that runs "up" created that table and owns it, so no other
 * privilege is needed, and the fingerprint leaves the history table (its
 * comment included) out.
 */
#ifndef MIGRATE_PROTECT_H
#define MIGRATE_PROTECT_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "buf.h"

struct engine;

/* The comment that marks a database as protected. */
#define PROTECT_MARK "migrate:protected"

/*
 * Says what protect_on_connect does in this run (main.c, once): with
 * check, refuse command against a marked database unless force; with
 * mark, set the mark (a changing command in a protected environment).
 */
void protect_arm(const char *command, bool check, bool force, bool mark);

/*
 * Called by engine_open once connected, for every command: applies what
 * protect_arm said.  Returns 0, 2 after reporting the refusal, or the
 * exit code of a failure to read or set the mark (reported).
 */
int protect_on_connect(struct engine *e) __attribute__((warn_unused_result));

/*
 * Reads the mark: *marked is false when there is no history table yet.
 * Returns 0 or the exit code after reporting.
 */
int protect_read(struct engine *e, bool *marked) __attribute__((warn_unused_result));

/* The statement protect_read sends, and what its one row says. */
void protect_sql_read(struct buf *sql, const struct engine *e);
bool protect_parse(const PGresult *res);

/*
 * Sets the mark (on), creating the history table first when the database
 * has none, or removes it (the table must exist), under the migration
 * lock.  Returns 0 or the exit code after reporting.
 */
int protect_set(struct engine *e, bool on) __attribute__((warn_unused_result));

#endif
