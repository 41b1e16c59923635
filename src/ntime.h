/* Clock helpers: CLOCK_MONOTONIC schedules, CLOCK_REALTIME matches the kernel's packet timestamps. */
#ifndef NTRACE_NTIME_H
#define NTRACE_NTIME_H

#include <time.h>

void ntime_mono(struct timespec *ts);
void ntime_real(struct timespec *ts);
/* a - b in milliseconds. */
double ntime_diff_ms(const struct timespec *a, const struct timespec *b);
double ntime_to_sec(const struct timespec *ts);
void ntime_add_sec(struct timespec *ts, double sec);
/* -1, 0 or 1 as a is before, equal to or after b. */
int ntime_cmp(const struct timespec *a, const struct timespec *b);
/*
 * The RTT to believe: the wall-clock one (kernel timestamps) unless it is
 * negative or longer than the monotonic bound, which only a clock step
 * between send and receive explains; then the monotonic one.
 */
double ntime_pick_rtt(double wall_ms, double mono_ms);
/* ISO 8601 UTC with milliseconds, e.g. 2026-12-04T15:32:12.345Z. */
const char *ntime_iso8601(const struct timespec *ts, char *buf, size_t len);

#endif
