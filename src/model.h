/*
 * The model: traces -> hops -> responders -> statistics, plus engine
 * status. The engine writes it under one lock with short critical sections;
 * the UI and the reports read it under the same lock (or read a copy).
 */
#ifndef NTRACE_MODEL_H
#define NTRACE_MODEL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "packet.h"
#include "stats.h"

#define MODEL_MAX_RESP 8	/* responders kept per hop (ECMP); mtr keeps 8 too */
#define MODEL_HIST 128		/* recent results per hop for sparklines */
#define MODEL_TARGET_MAX 256
#define MODEL_STATUS_MAX 160
#define MODEL_HIST_LOST (-1.0f)	/* a lost probe in the history ring */

struct names;

struct responder {
	struct addr addr;
	struct stats st;	/* sent unused; received and RTTs via this host */
	uint64_t last_seen;	/* round number of the latest reply */
	int unreach_code;	/* last ICMP unreachable code from it, or -1 */
	unsigned n_mpls;
	struct pkt_mpls mpls[PKT_MAX_MPLS];
};

struct hop {
	int ttl;
	struct stats st;
	struct stats_window win;
	struct responder resp[MODEL_MAX_RESP];	/* most frequent first */
	unsigned nresp;
	float hist[MODEL_HIST];	/* ms, or MODEL_HIST_LOST; oldest first ring */
	unsigned hist_len;
	unsigned hist_pos;
	int unreach_code;	/* last unreachable code at this TTL, or -1 */
};

struct trace {
	char target[MODEL_TARGET_MAX];	/* as typed */
	struct addr dst;
	int family;
	enum proto proto;
	uint16_t port;			/* UDP/TCP destination port, 0 for ICMP */
	int first_ttl;
	int max_ttl;
	bool reached;			/* the destination answered */
	int dest_ttl;			/* smallest TTL that reached it; 0 unknown */
	int unreach_ttl;		/* smallest TTL answering unreachable; 0 none */
	int last_ttl;			/* highest TTL probed so far */
	uint64_t rounds;		/* rounds started */
	struct hop *hops;		/* hops[ttl - first_ttl], max_ttl-first_ttl+1 */
};

struct model {
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* signalled with every generation bump */
	uint64_t generation;		/* bumped on every change: the UI's dirty flag */
	struct trace *traces;
	size_t ntraces;
	const char *backend;		/* "raw" or "unprivileged" */
	char status[MODEL_STATUS_MAX];	/* engine status; "" when all is well */
	char error[MODEL_STATUS_MAX];	/* fatal: why the engine stopped early */
	struct timespec started;	/* wall clock */
	struct timespec finished;
	bool paused;
	bool done;			/* the engine has stopped */
	double interval;
	struct names *names;		/* PTR and AS cache, bounded (names.h) */
};

int model_init(struct model *m, size_t ntraces);
void model_free(struct model *m);
/* Allocates the hop array of a trace after first_ttl/max_ttl are set. */
int model_trace_alloc_hops(struct trace *t);
void model_lock(struct model *m);
void model_unlock(struct model *m);
/* Bumps the generation and wakes waiters; call with the lock held. */
void model_touch(struct model *m);
struct hop *model_hop(struct trace *t, int ttl);
const struct hop *model_hop_const(const struct trace *t, int ttl);
/* The TTL where a report stops: the destination's, else the last probed. */
int model_trace_last_ttl(const struct trace *t);
/* Records a reply at a hop from responder `from`; returns the responder. */
struct responder *model_hop_reply(struct hop *h, const struct addr *from,
    double rtt_ms, uint64_t round);
void model_hop_sent(struct hop *h);
void model_hop_lost(struct hop *h);
/* Clears every statistic (the UI's r key) but keeps the targets. */
void model_reset(struct model *m);
/* Deep copy of one trace for drawing without the lock; free with _free. */
int model_trace_copy(const struct trace *src, struct trace *dst);
void model_trace_copy_free(struct trace *t);
/* The PTR name and AS text known for an address, or NULL (names: #6). */
const char *model_name(const struct model *m, const struct addr *a);
const char *model_asn(const struct model *m, const struct addr *a);
/* One of mtr's -y fields (0 AS number .. 4 date), or NULL. */
const char *model_asn_field(const struct model *m, const struct addr *a,
    int field);

#endif
