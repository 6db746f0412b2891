/*
 * interrupt.c: cancelling the server's statement on SIGINT and SIGTERM.
 *
 * The PGcancel objects are made when a connection is watched, never in
 * the handler; changes to the list block the signals, so the handler
 * never sees a half-changed slot.  The handler writes one line with
 * write(2), sends the cancels (PQcancel is async-signal-safe) and arms a
 * 100 ms interval timer whose SIGALRM sends them again until the runner
 * acknowledges the signal: a cancel only stops a statement that is
 * running, and a unit may start its next statement after the signal.
 */
#include "interrupt.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_WATCHED 4

struct watched
{
	PGconn *conn;
	PGcancel *cancel;
};

static struct watched watched[MAX_WATCHED];
static volatile sig_atomic_t pending_signal;
static volatile sig_atomic_t acknowledged;
static bool installed;

static void
set_timer(long ms)
{
	struct itimerval t;

	memset(&t, 0, sizeof(t));
	t.it_value.tv_sec = ms / 1000;
	t.it_value.tv_usec = (ms % 1000) * 1000;
	t.it_interval = t.it_value;
	setitimer(ITIMER_REAL, &t, NULL);
}

static void
cancel_all(void)
{
	char errbuf[256];
	int i;

	for (i = 0; i < MAX_WATCHED; i++)
		if (watched[i].cancel != NULL)
			(void) PQcancel(watched[i].cancel, errbuf, sizeof(errbuf));
}

static void
say(const char *s)
{
	ssize_t rc = write(STDERR_FILENO, s, strlen(s));

	(void) rc;
}

static void
on_alarm(int signo)
{
	int saved = errno;

	(void) signo;
	if (pending_signal != 0 && !acknowledged)
		cancel_all();
	errno = saved;
}

static void
on_signal(int signo)
{
	int saved = errno;

	if (pending_signal != 0)
	{
		/* a second signal: the user insists; the server rolls back on disconnect */
		say("migrate: interrupted again: exiting at once\n");
		_exit(128 + signo);
	}
	pending_signal = signo;
	say(signo == SIGINT ? "migrate: interrupted (SIGINT): cancelling the running statement\n"
						: "migrate: interrupted (SIGTERM): cancelling the running statement\n");
	cancel_all();
	set_timer(100);
	errno = saved;
}

static void
block(sigset_t *old)
{
	sigset_t s;

	sigemptyset(&s);
	sigaddset(&s, SIGINT);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGALRM);
	sigprocmask(SIG_BLOCK, &s, old);
}

void
interrupt_install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	installed = true;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGALRM);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
}

void
interrupt_watch(PGconn *conn)
{
	PGcancel *c = conn != NULL ? PQgetCancel(conn) : NULL;
	sigset_t old;
	int i;

	if (c == NULL)
		return;
	block(&old);
	for (i = 0; i < MAX_WATCHED && watched[i].cancel != NULL; i++)
		;
	if (i < MAX_WATCHED)
	{
		watched[i].conn = conn;
		watched[i].cancel = c;
		c = NULL;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (c != NULL)
		PQfreeCancel(c);
}

void
interrupt_unwatch(PGconn *conn)
{
	PGcancel *c = NULL;
	sigset_t old;
	int i;

	if (conn == NULL)
		return;
	block(&old);
	for (i = 0; i < MAX_WATCHED; i++)
		if (watched[i].conn == conn)
		{
			c = watched[i].cancel;
			watched[i].conn = NULL;
			watched[i].cancel = NULL;
			break;
		}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (c != NULL)
		PQfreeCancel(c);
}

int
interrupt_pending(void)
{
	if (pending_signal != 0 && !acknowledged)
	{
		acknowledged = 1;
		set_timer(0);
	}
	return pending_signal;
}

int
interrupt_exit_code(void)
{
	int s = interrupt_pending();

	return s != 0 ? 128 + s : 0;
}

const char *
interrupt_signal_name(int signo)
{
	if (signo == SIGINT)
		return "SIGINT";
	if (signo == SIGTERM)
		return "SIGTERM";
	return "signal";
}

bool
interrupt_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (pending_signal == 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return pending_signal == 0;
}
