/*
 * netproxy.c: a small TCP proxy on 127.0.0.1 between a client (the runner,
 * psql, a peer tool) and a PostgreSQL server, for the benchmark's distant
 * server (bench/distant) and the connection-cut tests (tests/t950).
 *
 * Usage: netproxy -t TARGET_PORT [option...]
 *
 *   -l PORT    listen on 127.0.0.1:PORT (default 0: a free port)
 *   -p FILE    write the listening port to FILE once listening
 *   -d MS      hold every chunk MS milliseconds in each direction
 *              (-d 10: a 20 ms round trip)
 *   -c SPEC    cut a connection (close both sides, nothing more relayed):
 *                bytes:N     once N bytes went through, both directions
 *                c2s:N       once N client-to-server bytes went through
 *                trips:N     before relaying the client's N-th burst of
 *                            data (the start-up packet is the first)
 *                match:TEXT[+D|-D]
 *                            D bytes after the end of the first TEXT the
 *                            client sends (a negative D cannot reach back
 *                            before what was relayed already)
 *                reply:TEXT  as soon as the server answers the client
 *                            message that holds the first TEXT (that
 *                            message was relayed whole; its answer is not)
 *                random:A-B  bytes:N with N drawn from [A, B]
 *   -k K       the cut applies to the K-th connection (default 1);
 *              0: to every connection
 *   -C FILE    control file: when it appears, every open connection is
 *              cut and FILE is removed (checked every 20 ms)
 *   -s FILE    statistics, rewritten whenever a connection starts or ends
 *              and at exit: "connections N", "active N", "trips N", "c2s N",
 *              "s2c N", "cuts N", one per line
 *   -L FILE    log: one line per connection that ends or is cut, with the
 *              start of the client's last message (its first 1024 bytes
 *              read at once, unprintable bytes as '.')
 *   -S SEED    seed for random: (default: time and pid)
 *   -T SEC     exit after SEC seconds (default 600)
 *   -n N       exit once N connections have ended (default: no limit)
 *   -W PID     exit as soon as process PID is gone
 *
 * A round trip is a burst of client-to-server data answered by the
 * server: the first server data after client data counts one (so the
 * start-up counts, the final Terminate, never answered, does not).
 * SIGUSR1 cuts every open connection; SIGTERM and SIGINT end the proxy.
 * It only ever listens on and connects to 127.0.0.1.  Exit 0 on a normal
 * end (time limit, -n, -W, signal), 2 on a usage or setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64
#define READ_SIZE 65536
#define MATCH_MAX 128
#define LAST_MAX 1024

/* One chunk read from one side, waiting to be written to the other. */
struct chunk
{
	struct chunk *next;
	int64_t due_us;
	size_t len;
	size_t off;
	bool eof; /* the sender closed: close the connection when delivered */
	bool cut; /* the cut point: cut the connection when delivered */
	char data[];
};

/* The chunks travelling towards one side, oldest first. */
struct queue
{
	struct chunk *head;
	struct chunk *tail;
};

struct conn
{
	bool used;
	int id;
	int cfd;
	int sfd;
	struct queue to_server;
	struct queue to_client;
	uint64_t c2s;
	uint64_t s2c;
	uint64_t trips;
	uint64_t bursts;
	int last_dir; /* 0 none yet, 1 client to server, 2 server to client */
	bool closing; /* read nothing more: a cut or an end is queued */
	int64_t cut_total; /* -1: none */
	int64_t cut_c2s;
	int64_t cut_trips;
	bool matching;
	bool cut_reply; /* cut at the server's next byte */
	char tail[MATCH_MAX];
	size_t tail_len;
	char last[LAST_MAX + 1]; /* the start of the last client message */
};

enum cut_kind
{
	CUT_NONE,
	CUT_BYTES,
	CUT_C2S,
	CUT_TRIPS,
	CUT_MATCH,
	CUT_RANDOM
};

static struct
{
	int target_port;
	int listen_port;
	const char *port_file;
	int64_t delay_us;
	enum cut_kind cut;
	int64_t cut_n;
	int64_t cut_hi;
	char match[MATCH_MAX];
	size_t match_len;
	int64_t match_off;
	bool match_reply;
	int cut_conn;
	const char *control_file;
	const char *stats_file;
	const char *log_file;
	unsigned seed;
	int64_t lifetime_us;
	long max_ended;
	pid_t watch_pid;
} opt = {.cut_conn = 1, .lifetime_us = 600000000, .max_ended = -1};

static struct conn conns[MAX_CONNS];
static long n_conns;
static long n_ended;
static long n_active;
static uint64_t tot_trips;
static uint64_t tot_c2s;
static uint64_t tot_s2c;
static long n_cuts;
static volatile sig_atomic_t got_quit;
static volatile sig_atomic_t got_cut;

static int64_t
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void
on_quit(int sig)
{
	(void) sig;
	got_quit = 1;
}

static void
on_cut(int sig)
{
	(void) sig;
	got_cut = 1;
}

static void
usage_error(const char *what)
{
	fprintf(stderr, "netproxy: error: %s\nTry the comment at the top of bench/netproxy.c.\n", what);
	exit(2);
}

/* Parse a non-negative decimal integer, or exit 2. */
static int64_t
number(const char *s, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		usage_error(what);
	return v;
}

/* match:TEXT[+D|-D]: the offset is the last '+' or '-' followed only by digits. */
static void
parse_match(const char *spec)
{
	const char *p = spec + strlen(spec);
	const char *sign = NULL;

	while (p > spec && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p > spec && p < spec + strlen(spec) && (p[-1] == '+' || p[-1] == '-'))
		sign = p - 1;
	opt.match_len = sign ? (size_t) (sign - spec) : strlen(spec);
	if (opt.match_len == 0 || opt.match_len >= MATCH_MAX)
		usage_error("match: needs a text of 1 to 127 bytes");
	memcpy(opt.match, spec, opt.match_len);
	opt.match_off = sign ? number(sign + 1, "bad match: offset") : 0;
	if (sign && *sign == '-')
		opt.match_off = -opt.match_off;
}

static void
parse_cut(const char *spec)
{
	const char *dash;
	char lo[32];

	if (strncmp(spec, "bytes:", 6) == 0)
		opt.cut = CUT_BYTES, opt.cut_n = number(spec + 6, "bad bytes: count");
	else if (strncmp(spec, "c2s:", 4) == 0)
		opt.cut = CUT_C2S, opt.cut_n = number(spec + 4, "bad c2s: count");
	else if (strncmp(spec, "trips:", 6) == 0)
		opt.cut = CUT_TRIPS, opt.cut_n = number(spec + 6, "bad trips: count");
	else if (strncmp(spec, "match:", 6) == 0)
		opt.cut = CUT_MATCH, parse_match(spec + 6);
	else if (strncmp(spec, "reply:", 6) == 0 && strlen(spec + 6) > 0 &&
			 strlen(spec + 6) < MATCH_MAX)
	{
		opt.cut = CUT_MATCH;
		opt.match_reply = true;
		opt.match_len = strlen(spec + 6);
		memcpy(opt.match, spec + 6, opt.match_len);
	}
	else if (strncmp(spec, "random:", 7) == 0 && (dash = strchr(spec + 7, '-')) != NULL &&
			 dash - (spec + 7) < (long) sizeof(lo))
	{
		memcpy(lo, spec + 7, dash - (spec + 7));
		lo[dash - (spec + 7)] = '\0';
		opt.cut = CUT_RANDOM;
		opt.cut_n = number(lo, "bad random: range");
		opt.cut_hi = number(dash + 1, "bad random: range");
		if (opt.cut_hi < opt.cut_n)
			usage_error("random:A-B needs A <= B");
	}
	else
		usage_error("bad cut (want bytes:N, c2s:N, trips:N, match:TEXT[+-D], reply:TEXT or "
					"random:A-B)");
}

static void
parse_args(int argc, char **argv)
{
	int c;

	opt.seed = (unsigned) time(NULL) ^ (unsigned) getpid();
	while ((c = getopt(argc, argv, "t:l:p:d:c:k:C:s:L:S:T:n:W:")) != -1)
	{
		switch (c)
		{
			case 't':
				opt.target_port = (int) number(optarg, "bad -t port");
				break;
			case 'l':
				opt.listen_port = (int) number(optarg, "bad -l port");
				break;
			case 'p':
				opt.port_file = optarg;
				break;
			case 'd':
				opt.delay_us = number(optarg, "bad -d delay") * 1000;
				break;
			case 'c':
				parse_cut(optarg);
				break;
			case 'k':
				opt.cut_conn = (int) number(optarg, "bad -k connection");
				break;
			case 'C':
				opt.control_file = optarg;
				break;
			case 's':
				opt.stats_file = optarg;
				break;
			case 'L':
				opt.log_file = optarg;
				break;
			case 'S':
				opt.seed = (unsigned) number(optarg, "bad -S seed");
				break;
			case 'T':
				opt.lifetime_us = number(optarg, "bad -T seconds") * 1000000;
				break;
			case 'n':
				opt.max_ended = (long) number(optarg, "bad -n count");
				break;
			case 'W':
				opt.watch_pid = (pid_t) number(optarg, "bad -W pid");
				break;
			default:
				usage_error("unknown option");
		}
	}
	if (optind != argc || opt.target_port <= 0 || opt.target_port > 65535 ||
		opt.listen_port > 65535)
		usage_error("need -t TARGET_PORT (1 to 65535) and no other arguments");
}

/* Write TEXT to PATH through a temporary file and a rename. */
static void
write_atomically(const char *path, const char *text)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int) sizeof(tmp))
		return;
	f = fopen(tmp, "w");
	if (f == NULL)
		return;
	fputs(text, f);
	if (fclose(f) == 0)
		rename(tmp, path);
}

static void
write_stats(void)
{
	char text[512];

	if (opt.stats_file == NULL)
		return;
	snprintf(text, sizeof(text),
			 "connections %ld\nactive %ld\ntrips %llu\nc2s %llu\ns2c %llu\ncuts %ld\n", n_conns,
			 n_active, (unsigned long long) tot_trips, (unsigned long long) tot_c2s,
			 (unsigned long long) tot_s2c, n_cuts);
	write_atomically(opt.stats_file, text);
}

static void
log_line(const struct conn *c, const char *what)
{
	FILE *f;

	if (opt.log_file == NULL)
		return;
	f = fopen(opt.log_file, "a");
	if (f == NULL)
		return;
	fprintf(f, "conn %d %s trips %llu c2s %llu s2c %llu last \"%s\"\n", c->id, what,
			(unsigned long long) c->trips, (unsigned long long) c->c2s, (unsigned long long) c->s2c,
			c->last);
	fclose(f);
}

static void
queue_free(struct queue *q)
{
	struct chunk *ch = q->head;

	while (ch != NULL)
	{
		struct chunk *next = ch->next;

		free(ch);
		ch = next;
	}
	q->head = q->tail = NULL;
}

static void
queue_push(struct queue *q, const char *data, size_t len, bool eof, bool cut)
{
	struct chunk *ch = malloc(sizeof(*ch) + len);

	if (ch == NULL)
	{
		fprintf(stderr, "netproxy: error: out of memory\n");
		exit(2);
	}
	ch->next = NULL;
	ch->due_us = now_us() + opt.delay_us;
	ch->len = len;
	ch->off = 0;
	ch->eof = eof;
	ch->cut = cut;
	if (len > 0)
		memcpy(ch->data, data, len);
	if (q->tail)
		q->tail->next = ch;
	else
		q->head = ch;
	q->tail = ch;
}

/* Close both sides and forget the connection; WHAT says why. */
static void
conn_end(struct conn *c, const char *what)
{
	bool cut = strcmp(what, "cut") == 0;

	close(c->cfd);
	close(c->sfd);
	queue_free(&c->to_server);
	queue_free(&c->to_client);
	if (cut)
		n_cuts++;
	log_line(c, what);
	c->used = false;
	n_active--;
	n_ended++;
	write_stats();
}

/* Queue a cut now: nothing more is read, what was queued is dropped. */
static void
conn_cut_now(struct conn *c)
{
	if (!c->used)
		return;
	conn_end(c, "cut");
}

static void
setup_cut(struct conn *c)
{
	c->cut_total = c->cut_c2s = c->cut_trips = -1;
	c->matching = false;
	if (opt.cut_conn != 0 && opt.cut_conn != c->id)
		return;
	switch (opt.cut)
	{
		case CUT_BYTES:
			c->cut_total = opt.cut_n;
			break;
		case CUT_C2S:
			c->cut_c2s = opt.cut_n;
			break;
		case CUT_TRIPS:
			c->cut_trips = opt.cut_n;
			break;
		case CUT_MATCH:
			c->matching = true;
			break;
		case CUT_RANDOM:
			c->cut_total = opt.cut_n + (int64_t) (rand_r(&opt.seed) % (opt.cut_hi - opt.cut_n + 1));
			break;
		case CUT_NONE:
			break;
	}
}

static void
set_nonblocking(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	int one = 1;

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

static void
conn_accept(int lfd)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct conn *c = NULL;
	int cfd = accept(lfd, NULL, NULL);
	int sfd;
	int i;

	if (cfd < 0)
		return;
	for (i = 0; i < MAX_CONNS && c == NULL; i++)
		if (!conns[i].used)
			c = &conns[i];
	sfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = htons((uint16_t) opt.target_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (c == NULL || sfd < 0 || connect(sfd, (struct sockaddr *) &sa, sizeof(sa)) != 0)
	{
		/* the client sees the connection refused, as from a server down */
		close(cfd);
		if (sfd >= 0)
			close(sfd);
		return;
	}
	memset(c, 0, sizeof(*c));
	c->used = true;
	c->id = (int) ++n_conns;
	c->cfd = cfd;
	c->sfd = sfd;
	set_nonblocking(cfd);
	set_nonblocking(sfd);
	setup_cut(c);
	n_active++;
	write_stats();
}

/* Remember the start of a client message, printable, for the log. */
static void
note_last(struct conn *c, const char *buf, size_t len)
{
	size_t i;
	size_t n = 0;

	for (i = 0; i < len && n < LAST_MAX; i++)
	{
		unsigned char ch = (unsigned char) buf[i];

		if (ch == '"' || ch == '\\')
			ch = '\'';
		c->last[n++] = (ch >= 32 && ch < 127) ? (char) ch : '.';
	}
	c->last[n] = '\0';
}

/* Look for the match text across the previous chunk's tail and BUF. */
static void
find_match(struct conn *c, const char *buf, size_t len)
{
	char win[MATCH_MAX + READ_SIZE];
	size_t wlen = c->tail_len + len;
	size_t i;
	size_t keep;

	memcpy(win, c->tail, c->tail_len);
	memcpy(win + c->tail_len, buf, len);
	for (i = 0; i + opt.match_len <= wlen; i++)
	{
		if (memcmp(win + i, opt.match, opt.match_len) == 0)
		{
			/* absolute client-to-server offset of the end of the match */
			int64_t end = (int64_t) (c->c2s - c->tail_len + i + opt.match_len);
			int64_t at = end + opt.match_off;

			if (opt.match_reply)
				c->cut_reply = true;
			else
				c->cut_c2s = at < (int64_t) c->c2s ? (int64_t) c->c2s : at;
			c->matching = false;
			return;
		}
	}
	keep = wlen < opt.match_len - 1 ? wlen : opt.match_len - 1;
	memcpy(c->tail, win + wlen - keep, keep);
	c->tail_len = keep;
}

/* How many of LEN bytes read in direction DIR may be relayed before the cut. */
static size_t
allowed(struct conn *c, int dir, size_t len)
{
	size_t n = len;

	if (c->cut_total >= 0)
	{
		int64_t left = c->cut_total - (int64_t) (c->c2s + c->s2c);

		n = left <= 0 ? 0 : ((uint64_t) left < n ? (size_t) left : n);
	}
	if (dir == 1 && c->cut_c2s >= 0)
	{
		int64_t left = c->cut_c2s - (int64_t) c->c2s;

		n = left <= 0 ? 0 : ((uint64_t) left < n ? (size_t) left : n);
	}
	if (dir == 2 && c->cut_reply)
		n = 0;
	if (dir == 1 && c->cut_trips >= 0 && c->last_dir != 1 &&
		(int64_t) c->bursts + 1 >= c->cut_trips)
		n = 0;
	return n;
}

/* Read from one side of C and queue it towards the other. */
static void
conn_read(struct conn *c, int dir)
{
	static char buf[READ_SIZE];
	int fd = dir == 1 ? c->cfd : c->sfd;
	struct queue *q = dir == 1 ? &c->to_server : &c->to_client;
	ssize_t r = read(fd, buf, sizeof(buf));
	size_t n;

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0)
	{
		/* deliver what the closing side sent, then close */
		queue_push(q, NULL, 0, true, false);
		c->closing = true;
		return;
	}
	if (dir == 1)
	{
		note_last(c, buf, (size_t) r);
		if (c->matching)
			find_match(c, buf, (size_t) r);
	}
	n = allowed(c, dir, (size_t) r);
	if (dir == 1 && c->last_dir != 1 && n > 0)
		c->bursts++;
	if (dir == 2 && c->last_dir == 1 && n > 0)
		c->trips++, tot_trips++;
	if (n > 0)
		c->last_dir = dir;
	if (dir == 1)
		c->c2s += n, tot_c2s += n;
	else
		c->s2c += n, tot_s2c += n;
	queue_push(q, buf, n, false, n < (size_t) r);
	if (n < (size_t) r)
		c->closing = true;
}

/*
 * Write what is due towards one side; returns false when the connection
 * ended (an end or a cut was delivered, or a write failed).
 */
static bool
conn_write(struct conn *c, int dir)
{
	int fd = dir == 1 ? c->sfd : c->cfd;
	struct queue *q = dir == 1 ? &c->to_server : &c->to_client;
	int64_t now = now_us();

	while (q->head != NULL && q->head->due_us <= now)
	{
		struct chunk *ch = q->head;

		while (ch->off < ch->len)
		{
			ssize_t w = write(fd, ch->data + ch->off, ch->len - ch->off);

			if (w < 0 && (errno == EAGAIN || errno == EINTR))
				return true;
			if (w < 0)
			{
				conn_end(c, "write failed");
				return false;
			}
			ch->off += (size_t) w;
		}
		if (ch->eof || ch->cut)
		{
			conn_end(c, ch->cut ? "cut" : "end");
			return false;
		}
		q->head = ch->next;
		if (q->head == NULL)
			q->tail = NULL;
		free(ch);
	}
	return true;
}

static int
open_listener(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t salen = sizeof(sa);
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char text[32];

	sa.sin_port = htons((uint16_t) opt.listen_port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
		bind(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0 || listen(fd, 64) != 0 ||
		getsockname(fd, (struct sockaddr *) &sa, &salen) != 0)
	{
		fprintf(stderr, "netproxy: error: could not listen on 127.0.0.1:%d: %s\n", opt.listen_port,
				strerror(errno));
		exit(2);
	}
	set_nonblocking(fd);
	if (opt.port_file)
	{
		snprintf(text, sizeof(text), "%d\n", ntohs(sa.sin_port));
		write_atomically(opt.port_file, text);
	}
	return fd;
}

/* The poll timeout: until the next chunk falls due, at most 20 ms. */
static int
next_timeout(void)
{
	int64_t now = now_us();
	int64_t t = 20000;
	int i;

	for (i = 0; i < MAX_CONNS; i++)
	{
		const struct chunk *heads[2] = {conns[i].to_server.head, conns[i].to_client.head};
		int j;

		if (!conns[i].used)
			continue;
		for (j = 0; j < 2; j++)
			if (heads[j] != NULL && heads[j]->due_us - now < t)
				t = heads[j]->due_us - now;
	}
	return t <= 0 ? 0 : (int) ((t + 999) / 1000);
}

/* Control-file and signal cuts, the parent watch; false: time to stop. */
static bool
housekeeping(int64_t deadline)
{
	int i;

	if (opt.control_file && access(opt.control_file, F_OK) == 0)
	{
		unlink(opt.control_file);
		got_cut = 1;
	}
	if (got_cut)
	{
		got_cut = 0;
		for (i = 0; i < MAX_CONNS; i++)
			conn_cut_now(&conns[i]);
	}
	if (opt.watch_pid > 0 && kill(opt.watch_pid, 0) != 0 && errno == ESRCH)
		return false;
	if (opt.max_ended >= 0 && n_ended >= opt.max_ended)
		return false;
	return !got_quit && now_us() < deadline;
}

/* Fill the poll set: the listener, then each connection's two sides. */
static int
fill_poll(struct pollfd *pfd, int lfd, int *owner)
{
	int64_t now = now_us();
	int n = 0;
	int i;

	pfd[n].fd = lfd, pfd[n].events = POLLIN, owner[n++] = -1;
	for (i = 0; i < MAX_CONNS; i++)
	{
		struct conn *c = &conns[i];
		short ce = c->closing ? 0 : POLLIN;
		short se = c->closing ? 0 : POLLIN;

		if (!c->used)
			continue;
		if (c->to_client.head && c->to_client.head->due_us <= now)
			ce |= POLLOUT;
		if (c->to_server.head && c->to_server.head->due_us <= now)
			se |= POLLOUT;
		/* a negative fd is skipped: no POLLHUP spin on a closing side */
		pfd[n].fd = ce ? c->cfd : -1, pfd[n].events = ce, owner[n++] = i;
		pfd[n].fd = se ? c->sfd : -1, pfd[n].events = se, owner[n++] = i;
	}
	return n;
}

static void
serve(int lfd)
{
	struct pollfd pfd[1 + 2 * MAX_CONNS];
	int owner[1 + 2 * MAX_CONNS];
	int64_t deadline = now_us() + opt.lifetime_us;

	while (housekeeping(deadline))
	{
		int n = fill_poll(pfd, lfd, owner);
		int i;

		if (poll(pfd, (nfds_t) n, next_timeout()) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & POLLIN)
			conn_accept(lfd);
		for (i = 1; i < n; i++)
		{
			struct conn *c = &conns[owner[i]];
			int dir = (i % 2 == 1) ? 1 : 2; /* odd: the client side */

			if (!c->used)
				continue;
			if ((pfd[i].revents & (POLLIN | POLLHUP | POLLERR)) && !c->closing)
				conn_read(c, dir);
		}
		for (i = 0; i < MAX_CONNS; i++)
			if (conns[i].used && conn_write(&conns[i], 1))
				conn_write(&conns[i], 2);
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	int lfd;
	int i;

	parse_args(argc, argv);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_quit;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_cut;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lfd = open_listener();
	write_stats();
	serve(lfd);
	for (i = 0; i < MAX_CONNS; i++)
		if (conns[i].used)
			conn_end(&conns[i], "stop");
	close(lfd);
	write_stats();
	return 0;
}
