/* Clock helpers. */
#include "config.h"

#include <stdio.h>

#include "ntime.h"

void
ntime_mono(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

void
ntime_real(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

double
ntime_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(a->tv_sec - b->tv_sec) * 1e3 +
	    (double)(a->tv_nsec - b->tv_nsec) / 1e6;
}

double
ntime_to_sec(const struct timespec *ts)
{
	return (double)ts->tv_sec + (double)ts->tv_nsec / 1e9;
}

void
ntime_add_sec(struct timespec *ts, double sec)
{
	time_t whole = (time_t)sec;
	long nsec = (long)((sec - (double)whole) * 1e9);

	ts->tv_sec += whole;
	ts->tv_nsec += nsec;
	while (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		ts->tv_sec++;
	}
	while (ts->tv_nsec < 0) {
		ts->tv_nsec += 1000000000L;
		ts->tv_sec--;
	}
}

int
ntime_cmp(const struct timespec *a, const struct timespec *b)
{
	if (a->tv_sec != b->tv_sec)
		return a->tv_sec < b->tv_sec ? -1 : 1;
	if (a->tv_nsec != b->tv_nsec)
		return a->tv_nsec < b->tv_nsec ? -1 : 1;
	return 0;
}

double
ntime_pick_rtt(double wall_ms, double mono_ms)
{
	/* Kernel stamps lie inside the user-space clock reads: 50 us of slack. */
	if (!(wall_ms >= 0) || wall_ms > mono_ms + 0.05)
		return mono_ms < 0 ? 0 : mono_ms;
	return wall_ms;
}

const char *
ntime_iso8601(const struct timespec *ts, char *buf, size_t len)
{
	struct tm tm;
	char base[32];

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (gmtime_r(&ts->tv_sec, &tm) == NULL)
		return buf;
	if (strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		return buf;
	snprintf(buf, len, "%s.%03ldZ", base, ts->tv_nsec / 1000000L);
	return buf;
}
