/*
 * LD_PRELOAD shim that steps the wall clock a program sees, without
 * touching the machine's clock: CLOCK_REALTIME reads (clock_gettime,
 * gettimeofday, time) get an offset that changes on a schedule, while the
 * kernel's own timestamps (SO_TIMESTAMPNS, SO_TIMESTAMPING) and
 * CLOCK_MONOTONIC stay true. That is what a real NTP step looks like to a
 * program whose packets were stamped before it read the clock.
 *
 *   CLOCKSTEP="2:-30,4:+60"   at 2 s after start step back 30 s, at 4 s
 *                             forward 60 s (offsets add up; seconds, may
 *                             be fractional); measured on CLOCK_MONOTONIC
 *   SIGUSR2 is not used: steps are timed so tests need no signalling.
 *
 * pthread_cond_timedwait's absolute deadline is shifted back by the same
 * offset, because the kernel compares it with the true clock.
 */
#define _GNU_SOURCE
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#define CLOCKSTEP_MAX 16

struct clockstep_step {
	double at;		/* seconds after the first clock read */
	double offset;		/* seconds added to the wall clock from then */
};

static struct clockstep_step clockstep_steps[CLOCKSTEP_MAX];
static int clockstep_n = -1;
static double clockstep_start;
static pthread_once_t clockstep_once = PTHREAD_ONCE_INIT;
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int (*real_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *,
    const struct timespec *);

int clock_gettime(clockid_t id, struct timespec *ts);
int gettimeofday(struct timeval *restrict tv, void *restrict tz);
time_t time(time_t *t);
int pthread_cond_timedwait(pthread_cond_t *restrict c,
    pthread_mutex_t *restrict m, const struct timespec *restrict abstime);

static double
clockstep_mono(void)
{
	struct timespec ts;

	real_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads the schedule once; a malformed entry ends it. */
static void
clockstep_init(void)
{
	const char *s = getenv("CLOCKSTEP");
	double total = 0;
	char *end;

	real_clock_gettime = (int (*)(clockid_t, struct timespec *))
	    dlsym(RTLD_NEXT, "clock_gettime");
	real_cond_timedwait = (int (*)(pthread_cond_t *, pthread_mutex_t *,
	    const struct timespec *))dlsym(RTLD_NEXT,
	    "pthread_cond_timedwait");
	clockstep_start = clockstep_mono();
	clockstep_n = 0;
	while (s != NULL && *s != '\0' && clockstep_n < CLOCKSTEP_MAX) {
		clockstep_steps[clockstep_n].at = strtod(s, &end);
		if (end == s || *end != ':')
			break;
		s = end + 1;
		total += strtod(s, &end);
		if (end == s)
			break;
		clockstep_steps[clockstep_n++].offset = total;
		s = *end == ',' ? end + 1 : end;
	}
}

/* The offset in force now. */
static double
clockstep_offset(void)
{
	double t, off = 0;
	int i;

	pthread_once(&clockstep_once, clockstep_init);
	t = clockstep_mono() - clockstep_start;
	for (i = 0; i < clockstep_n; i++) {
		if (t >= clockstep_steps[i].at)
			off = clockstep_steps[i].offset;
	}
	return off;
}

static void
clockstep_shift(struct timespec *ts, double off)
{
	long long ns;

	ns = (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec +
	    (long long)(off * 1e9);
	ts->tv_sec = (time_t)(ns / 1000000000LL);
	ts->tv_nsec = (long)(ns % 1000000000LL);
	if (ts->tv_nsec < 0) {
		ts->tv_nsec += 1000000000L;
		ts->tv_sec--;
	}
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
	double off = clockstep_offset();
	int rc = real_clock_gettime(id, ts);

	if (rc == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
		clockstep_shift(ts, off);
	return rc;
}

int
gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
	struct timespec ts;

	(void)tz;
	clock_gettime(CLOCK_REALTIME, &ts);
	tv->tv_sec = ts.tv_sec;
	tv->tv_usec = ts.tv_nsec / 1000;
	return 0;
}

time_t
time(time_t *t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (t != NULL)
		*t = ts.tv_sec;
	return ts.tv_sec;
}

int
pthread_cond_timedwait(pthread_cond_t *restrict c,
    pthread_mutex_t *restrict m, const struct timespec *restrict abstime)
{
	struct timespec ts = *abstime;

	clockstep_shift(&ts, -clockstep_offset());
	return real_cond_timedwait(c, m, &ts);
}
