/*
 * The engine: one thread, one poll() loop, every socket. It sends rounds of
 * probes over all TTLs in parallel, matches replies, and writes the model.
 */
#ifndef NTRACE_ENGINE_H
#define NTRACE_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "model.h"
#include "options.h"
#include "packet.h"

enum engine_cmd {
	ENGINE_QUIT = 1,
	ENGINE_PAUSE,
	ENGINE_RESUME,
	ENGINE_RESET,
	ENGINE_SET_INTERVAL,	/* arg: seconds */
	ENGINE_SET_PROTOCOL,	/* arg: enum proto, for every trace */
	ENGINE_SET_FIRST_TTL,
	ENGINE_SET_MAX_TTL,
	ENGINE_SET_PSIZE,
	ENGINE_SET_TOS,
	ENGINE_SET_DNS,		/* arg: 1 look names up, 0 stop (the UI's n) */
	ENGINE_SET_ASN,		/* arg: 1 look AS numbers up, 0 stop (z) */
};

/* One probe's outcome, as --stream prints it. */
struct engine_probe_result {
	const struct trace *trace;
	size_t trace_index;
	int ttl;
	uint64_t round;
	uint16_t seq;
	enum pkt_kind kind;	/* PKT_NONE: timed out */
	uint8_t code;		/* unreachable code */
	struct addr from;
	double rtt_ms;		/* NAN when timed out */
	struct timespec when;	/* wall clock of the reply or the timeout */
};

/* Called on the engine thread with the model locked; non-zero stops the engine. */
typedef int (*engine_probe_cb)(const struct engine_probe_result *r, void *arg);

struct engine;

/*
 * Opens every socket the traces need (before privileges are dropped) and
 * fills the model's traces from the options and resolved targets.
 * Returns NULL with err set; *exit_code says 1 (runtime) or 2 (usage).
 */
struct engine *engine_new(const struct options *o, struct model *m,
    char *err, size_t errlen);
void engine_set_probe_cb(struct engine *e, engine_probe_cb cb, void *arg);
int engine_start(struct engine *e);
/* Sends a command to the engine thread; safe from any thread. */
void engine_command(struct engine *e, enum engine_cmd cmd, double arg);
/* The same for one trace (by index), or every trace when trace is -1. */
void engine_command_trace(struct engine *e, enum engine_cmd cmd, long trace,
    double arg);
/* Waits for the engine thread to end (report done, or after ENGINE_QUIT). */
void engine_join(struct engine *e);
void engine_free(struct engine *e);

#endif
