/*
 * interrupt.h: SIGINT and SIGTERM (SPEC 5, "Signals"), after psql's
 * fe_utils/cancel.c: the handler cancels the statement running on the
 * server through a PGcancel prepared beforehand, using only
 * async-signal-safe calls (PQcancel, write, setitimer); the runner sees
 * the cancelled statement fail, or asks interrupt_pending() between
 * statements, lets the server roll back and exits 128 + the signal.
 */
#ifndef MIGRATE_INTERRUPT_H
#define MIGRATE_INTERRUPT_H

#include <stdbool.h>

#include <libpq-fe.h>

/* Installs the handlers for SIGINT and SIGTERM (once; later calls do nothing). */
void interrupt_install(void);

/*
 * Makes a signal cancel conn's running statement too (at most four
 * connections at a time; more are ignored).  Until the runner asks
 * interrupt_pending(), the handler repeats the cancel every 100 ms, so
 * that a statement a unit starts after the signal is cancelled as well.
 */
void interrupt_watch(PGconn *conn);

/* Stops cancelling conn's statements (before it is closed); accepts NULL. */
void interrupt_unwatch(PGconn *conn);

/*
 * 0, or the number of the signal received.  Once it is not 0, the
 * repeated cancel stops, so that the runner's own ROLLBACK goes through.
 */
int interrupt_pending(void);

/* 0, or the exit code for the signal received: 130 (SIGINT), 143 (SIGTERM). */
int interrupt_exit_code(void);

/* "SIGINT" or "SIGTERM" for a signal number; "signal" otherwise. */
const char *interrupt_signal_name(int signo);

/*
 * Sleeps ms milliseconds, or less when a signal arrives.  Returns true
 * when it slept the whole time, false when interrupted.
 */
bool interrupt_sleep_ms(long ms);

#endif
