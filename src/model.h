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
#define MODEL_REPLY_TIMES 16	/* reply times kept per hop for its reply rate */
#define MODEL_EVENTS 512	/* event log entries kept; the oldest go first */
#define MODEL_BURST_PCT 50.0	/* default loss in the window that starts a burst */
#define MODEL_BURST_WINDOW 10	/* default results per hop a burst is judged on */

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
	double reply_t[MODEL_REPLY_TIMES];	/* monotonic s; oldest first ring */
	unsigned reply_len;
	unsigned reply_pos;
	struct addr last_from;	/* responder of the latest reply */
	bool burst;		/* a loss burst is under way (event log) */
};

/* What the event log records (doc/formats.md names them). */
enum model_event_kind {
	MODEL_EV_RESPONDER = 1,	/* a new responder at a TTL: the path changed */
	MODEL_EV_DEST_TTL,	/* the destination now answers at another TTL */
	MODEL_EV_BURST_START,	/* a hop's loss rose past the burst threshold */
	MODEL_EV_BURST_END,	/* and fell back to half of it */
	MODEL_EV_UNREACH,	/* a TTL answered with a new unreachable code */
	MODEL_EV_SEND_ERROR,	/* sending failed (network down); code = errno */
	MODEL_EV_SEND_OK,	/* sending works again */
};

struct model_event {
	uint64_t seq;			/* 1, 2, ... in the order recorded */
	struct timespec when;		/* wall clock */
	enum model_event_kind kind;
	size_t trace;			/* index into model.traces */
	int ttl;			/* 0 when not about one TTL */
	struct addr old_addr;		/* RESPONDER: the previous responder */
	struct addr new_addr;		/* RESPONDER: the new one; UNREACH: sender */
	int old_ttl;			/* DEST_TTL */
	int new_ttl;
	double loss_pct;		/* BURST_*: loss in the window */
	int code;			/* UNREACH: ICMP code; SEND_*: errno */
};

/* A fixed ring: memory does not grow with the run time. */
struct model_events {
	struct model_event ev[MODEL_EVENTS];
	uint64_t next_seq;		/* seq of the next event recorded (first: 1) */
	uint64_t streamed;		/* events --stream has written */
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
	int known_dest_ttl;		/* last destination TTL learned; 0 none */
	uint64_t rounds;		/* rounds started */
	char error[MODEL_STATUS_MAX];	/* why this trace could not run, or "" */
	struct hop *hops;		/* hops[ttl - first_ttl], max_ttl-first_ttl+1 */
};

struct model {
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* signalled when the run is done */
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
	struct model_events *events;	/* event log, fixed size */
	double burst_pct;		/* --burst-loss; 0: no burst events */
	unsigned burst_window;		/* --burst-window, 2..MODEL_HIST */
};

int model_init(struct model *m, size_t ntraces);
void model_free(struct model *m);
/* Allocates the hop array of a trace after first_ttl/max_ttl are set. */
int model_trace_alloc_hops(struct trace *t);
void model_lock(struct model *m);
void model_unlock(struct model *m);
/* Bumps the generation (and wakes waiters once done); call locked. */
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
/* Remembers a reply's monotonic time (seconds) for the hop's reply rate. */
void model_hop_reply_time(struct hop *h, double mono_s);
/*
 * Loss bursts over the last `window` results of a hop: returns 1 when one
 * starts (loss >= pct), -1 when it ends (loss <= pct / 2), else 0; *loss
 * gets the window's loss in percent. 0 while the window is not yet full.
 */
int model_hop_burst(struct hop *h, unsigned window, double pct, double *loss);
/* Appends to the event log (seq is assigned); lock held. */
void model_event_add(struct model *m, const struct model_event *ev);
/* The oldest event still kept, and the seq the next one will get. */
uint64_t model_event_first(const struct model *m);
uint64_t model_event_end(const struct model *m);
/* The event with this seq, or NULL when it was dropped or is to come. */
const struct model_event *model_event_get(const struct model *m, uint64_t seq);
/* Copies the latest events of one trace, oldest first; returns how many. */
size_t model_events_copy(const struct model *m, size_t trace,
    struct model_event *out, size_t cap);
/*
 * Engine hooks, lock held: what a reply (from, at mono_s) or a timeout at
 * hop h of trace i adds to the event log, and the trace's destination TTL.
 */
void model_note_reply(struct model *m, size_t i, struct hop *h,
    const struct addr *from, double mono_s, const struct timespec *when);
void model_note_lost(struct model *m, size_t i, struct hop *h,
    const struct timespec *when);
void model_note_dest(struct model *m, size_t i, const struct timespec *when);
void model_note_unreach(struct model *m, size_t i, struct hop *h,
    const struct addr *from, int code, const struct timespec *when);
void model_note_send(struct model *m, size_t i, int err,
    const struct timespec *when);
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
