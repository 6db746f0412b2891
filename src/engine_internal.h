/*
 * engine_internal.h: helpers shared by engine.c and engine_apply.c.
 */
#ifndef MIGRATE_ENGINE_INTERNAL_H
#define MIGRATE_ENGINE_INTERNAL_H

#include "engine.h"

long		engine_now_ms(void);
void		engine_sleep_ms(long ms);
void		engine_lock_backoff(int attempt);
void		engine_rollback(struct db *db);
int			engine_report_db_failure(struct engine *e, const char *what,
									 const struct db_error *err);
int			engine_begin_locked(struct engine *e, bool all, long long version,
								struct history *h);

#endif
