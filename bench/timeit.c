/*
 * timeit.c: run one command and report its wall-clock time and peak
 * resident memory, for bench/run.
 *
 * Usage: timeit OUTFILE CMD [ARG...]
 *
 * Runs CMD with the caller's stdin, stdout and stderr, then appends one
 * line "WALL_US MAXRSS_KB EXIT CPU_US" to OUTFILE: the wall time from
 * fork to exit in microseconds (CLOCK_MONOTONIC), the child's peak
 * resident set (the rusage of wait4, so the child, not timeit), its exit
 * code (128 + signal when killed), and the user and system CPU time of
 * the child and of the descendants it waited for (a make's compilers).
 * Exits with the child's exit code, or 127 when it cannot run CMD.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long) ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int
main(int argc, char **argv)
{
	struct rusage ru;
	long long t0;
	long long wall;
	pid_t pid;
	int status;
	int code;
	FILE *out;

	if (argc < 3)
	{
		fprintf(stderr, "usage: timeit OUTFILE CMD [ARG...]\n");
		return 127;
	}
	t0 = now_us();
	pid = fork();
	if (pid < 0)
	{
		fprintf(stderr, "timeit: could not fork: %s\n", strerror(errno));
		return 127;
	}
	if (pid == 0)
	{
		execvp(argv[2], argv + 2);
		fprintf(stderr, "timeit: could not run \"%s\": %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
	{
		if (errno != EINTR)
		{
			fprintf(stderr, "timeit: wait4 failed: %s\n", strerror(errno));
			return 127;
		}
	}
	wall = now_us() - t0;
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out = fopen(argv[1], "a");
	if (out == NULL)
	{
		fprintf(stderr, "timeit: could not open \"%s\": %s\n", argv[1], strerror(errno));
		return 127;
	}
	fprintf(out, "%lld %ld %d %lld\n", wall, ru.ru_maxrss, code,
			(long long) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL +
				ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
	if (fclose(out) != 0)
	{
		fprintf(stderr, "timeit: could not write \"%s\": %s\n", argv[1], strerror(errno));
		return 127;
	}
	return code;
}
