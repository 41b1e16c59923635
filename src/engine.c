/*
 * The engine thread: rounds of probes over every TTL in parallel, a table of
 * probes in flight per trace, replies matched by the identity each probe
 * carries, timeouts, retries and send-error backoff, all in one poll() loop.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "engine.h"
#include "ntime.h"
#include "privs.h"
#include "net.h"
#include "resolve.h"

#define ENGINE_MAX_UNKNOWN 5	/* silent TTLs probed past the last answer (mtr -U) */
#define ENGINE_BACKOFF_MAX 30.0	/* seconds between attempts while sends fail */
#define ENGINE_TXRING 4096	/* recent sends per socket awaiting a TX timestamp */
#define ENGINE_FLOWS 16		/* source ports --vary-flow cycles through */
#define ENGINE_BUSY_WAIT 0.002	/* seconds before retrying a send the socket refused */

struct probe {
	uint16_t seq;		/* 0: slot free */
	int ttl;
	uint64_t round;
	struct timespec tx_real;
	struct timespec tx_mono;
	struct timespec deadline;
};

struct txref {
	uint32_t key;
	uint32_t trace;
	uint16_t seq;
	bool used;
};

struct tstate {
	struct engine *engine;
	struct trace *t;
	struct net *net;
	struct pkt_probe tmpl;		/* family, proto, src, dst, ident, ports */
	uint16_t sport_base;
	uint16_t next_seq;
	struct probe *slots;
	unsigned nslots;
	unsigned inflight;
	int send_ttl;			/* next TTL of the current round to send */
	int send_limit;			/* last TTL of the current round */
	uint64_t rounds;		/* rounds started */
	struct timespec next_round;
	int highest_answer;		/* highest TTL that ever answered */
	double backoff;			/* seconds; 0 while sends succeed */
	struct timespec send_at;	/* after a full socket buffer: when to retry */
	bool busy;
	unsigned first_round_left;	/* probes of round 1 still in flight */
	struct timespec next_deadline;	/* earliest deadline in flight */
	bool has_deadline;
	int retries_left;
	int retry_stage;
	int target;			/* index into opt.targets */
	bool ready;			/* the target's address is known */
	bool finished;
};

struct engine {
	struct options opt;
	const struct net_ops *ops;	/* raw or unprivileged back end */
	struct model *m;
	struct net nets[2];		/* [0] IPv4, [1] IPv6 */
	bool net_open[2];
	struct txref *txring[2][NET_MAX_SOCKS];	/* allocated on first use */
	struct tstate *ts;
	size_t nts;
	int cmd_pipe[2];
	pthread_t thread;
	bool started;
	bool quit;
	bool paused;
	bool report;			/* finite run: stop when cycles are done */
	double interval;
	int psize;
	int tos;
	engine_probe_cb cb;
	void *cb_arg;
	struct resolve *res;
	struct pollfd *pfd;		/* poll() set, rebuilt every loop */
	int *pfam;			/* family index of each pfd entry */
	int pcap;
	bool dns;			/* look PTR names up */
	bool asn;			/* look AS data up */
	struct timespec names_deadline;	/* report mode: last wait for names */
	bool names_wait;
};

struct cmd_msg {
	enum engine_cmd cmd;
	long trace;		/* the trace it is for, or -1 for all */
	double arg;
};

static int
fam_index(int family)
{
	return family == AF_INET6;
}

static uint16_t
random16(void)
{
	uint16_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint16_t)(getpid() ^ (uintptr_t)&v);
	return v;
}

/* Identities unique within this process; random so other tracers rarely collide. */
static void
pick_identity(struct engine *e, size_t i)
{
	struct tstate *s = &e->ts[i];
	size_t j;
	bool clash;

	do {
		s->tmpl.ident = random16();
		/* 33435..62434: clear of the usual ephemeral and traceroute ports. */
		s->sport_base = (uint16_t)(33435 + random16() % 29000);
		clash = s->tmpl.ident == 0;
		for (j = 0; j < i; j++)
			/* Source ports of two traces stay a flow window apart. */
			if (e->ts[j].tmpl.ident == s->tmpl.ident ||
			    (uint16_t)(e->ts[j].sport_base - s->sport_base + ENGINE_FLOWS - 1) <
			    2 * ENGINE_FLOWS - 1)
				clash = true;
	} while (clash);
	s->tmpl.sport = s->sport_base;
}

static double
ms_since(const struct timespec *then)
{
	struct timespec now;

	ntime_mono(&now);
	return ntime_diff_ms(&now, then);
}

static void
set_status(struct engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_status(struct engine *e, const char *fmt, ...)
{
	va_list ap;

	model_lock(e->m);
	va_start(ap, fmt);
	vsnprintf(e->m->status, sizeof(e->m->status), fmt, ap);
	va_end(ap);
	model_touch(e->m);
	model_unlock(e->m);
}

/* The TTL where the path ends: the destination, an unreachable, or 0. */
static int
path_end(const struct trace *t)
{
	if (t->reached && t->dest_ttl > 0)
		return t->dest_ttl;
	return t->unreach_ttl;
}

/* The TTLs worth probing this round. */
static int
round_limit(const struct tstate *s)
{
	const struct trace *t = s->t;
	int limit;

	if (path_end(t) > 0)
		return path_end(t);
	/* Until the first round has fully answered, the path's length is unknown. */
	if (s->rounds <= 1 || s->first_round_left > 0 || s->highest_answer == 0)
		return t->max_ttl;
	limit = s->highest_answer + ENGINE_MAX_UNKNOWN;
	return limit > t->max_ttl ? t->max_ttl : limit;
}

/* The last TTL shown: the destination, else a few silent TTLs past the last answer. */
static void
update_last_ttl(struct tstate *s)
{
	struct trace *t = s->t;
	int last;

	if (path_end(t) > 0) {
		t->last_ttl = path_end(t);
		return;
	}
	last = s->highest_answer > 0 ? s->highest_answer + ENGINE_MAX_UNKNOWN :
	    s->send_limit;
	if (last > t->max_ttl)
		last = t->max_ttl;
	if (last < t->first_ttl)
		last = t->first_ttl;
	t->last_ttl = last;
}

static struct probe *
slot_of(struct tstate *s, uint16_t seq)
{
	return &s->slots[seq % s->nslots];
}

/* The next sequence number whose slot is free; never 0 or 0xffff. */
static uint16_t
next_seq(struct tstate *s)
{
	for (;;) {
		uint16_t seq = s->next_seq++;

		if (seq == 0 || seq == 0xffff)
			continue;
		if (slot_of(s, seq)->seq == 0)
			return seq;
	}
}

/* Keeps the earliest deadline in flight, so expiry scans only when due. */
static void
note_deadline(struct tstate *s, const struct timespec *d)
{
	if (!s->has_deadline || ntime_cmp(d, &s->next_deadline) < 0) {
		s->next_deadline = *d;
		s->has_deadline = true;
	}
}

static void
free_probe(struct tstate *s, struct probe *p)
{
	if (p->round == 1 && s->first_round_left > 0)
		s->first_round_left--;
	p->seq = 0;
	s->inflight--;
}

static void
report_probe(struct engine *e, struct tstate *s, const struct probe *p,
    enum pkt_kind kind, uint8_t code, const struct addr *from, double rtt)
{
	struct engine_probe_result r;

	if (e->cb == NULL)
		return;
	memset(&r, 0, sizeof(r));
	r.trace = s->t;
	r.trace_index = (size_t)(s - e->ts);
	r.ttl = p->ttl;
	r.round = p->round;
	r.seq = p->seq;
	r.kind = kind;
	r.code = code;
	if (from != NULL)
		r.from = *from;
	r.rtt_ms = rtt;
	ntime_real(&r.when);
	if (e->cb(&r, e->cb_arg) != 0)
		e->quit = true;
}

/* Event log (issue 9): a failing send, or the first to work again. */
static void
note_send(struct engine *e, struct tstate *s, int err)
{
	struct timespec now;

	ntime_real(&now);
	model_lock(e->m);
	model_note_send(e->m, (size_t)(s - e->ts), err, &now);
	model_touch(e->m);
	model_unlock(e->m);
}

static bool
is_network_error(int err)
{
	return err == ENETUNREACH || err == EHOSTUNREACH || err == ENETDOWN ||
	    err == EADDRNOTAVAIL || err == EPERM || err == EACCES ||
	    err == ENOMEM;
}

enum send_result {
	SEND_OK,
	SEND_BUSY,	/* the socket buffer is full: try again in a moment */
	SEND_FAILED,	/* the network refused: back off */
};

/* Sends one probe at ttl. */
static enum send_result
send_probe(struct engine *e, struct tstate *s, int ttl)
{
	struct pkt_probe pp = s->tmpl;
	struct probe *p;
	struct hop *h;
	struct txref *ref;
	int sock = -1, err;
	uint32_t key = 0;

	pp.seq = next_seq(s);
	pp.size = (size_t)e->psize;
	if (e->opt.vary_flow && pp.proto != PROTO_ICMP)
		pp.sport = (uint16_t)(s->sport_base + s->rounds % ENGINE_FLOWS);
	p = slot_of(s, pp.seq);
	memset(p, 0, sizeof(*p));
	ntime_mono(&p->tx_mono);
	err = s->net->ops->send(s->net, &pp, ttl, e->tos, &p->tx_real, &sock, &key);
	if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
		/* Local congestion, not the network: the same TTL goes out shortly. */
		s->send_at = p->tx_mono;
		ntime_add_sec(&s->send_at, ENGINE_BUSY_WAIT);
		s->busy = true;
		return SEND_BUSY;
	}
	if (err != 0) {
		char a[ADDR_STRLEN];

		if (s->backoff == 0)
			note_send(e, s, err);
		s->backoff = s->backoff == 0 ? 1 : s->backoff * 2;
		if (s->backoff > ENGINE_BACKOFF_MAX)
			s->backoff = ENGINE_BACKOFF_MAX;
		/* The network going away is expected; anything else is our fault. */
		set_status(e, "%s %s: %s, retrying in %.0f s",
		    is_network_error(err) ? "sending to" : "cannot send to",
		    addr_ntop(&pp.dst, a, sizeof(a)), strerror(err), s->backoff);
		ntime_mono(&s->next_round);
		ntime_add_sec(&s->next_round, s->backoff);
		return SEND_FAILED;
	}
	s->busy = false;
	if (s->backoff != 0) {
		s->backoff = 0;
		set_status(e, "%s", "");
		note_send(e, s, 0);
	}
	p->seq = pp.seq;
	p->ttl = ttl;
	p->round = s->rounds;
	if (p->round == 1)
		s->first_round_left++;
	p->deadline = p->tx_mono;
	/* mtr's -G: the last round of a report may wait longer for answers. */
	ntime_add_sec(&p->deadline, e->report && e->opt.cycles > 0 &&
	    s->rounds >= (uint64_t)e->opt.cycles && e->opt.grace > e->opt.timeout ?
	    e->opt.grace : e->opt.timeout);
	note_deadline(s, &p->deadline);
	s->inflight++;

	if (sock >= 0 && sock < NET_MAX_SOCKS && s->net->txstamps &&
	    e->txring[fam_index(s->tmpl.family)][sock] == NULL)
		e->txring[fam_index(s->tmpl.family)][sock] =
		    calloc(ENGINE_TXRING, sizeof(struct txref));
	if (sock >= 0 && sock < NET_MAX_SOCKS &&
	    e->txring[fam_index(s->tmpl.family)][sock] != NULL) {
		ref = &e->txring[fam_index(s->tmpl.family)][sock][key % ENGINE_TXRING];
		ref->key = key;
		ref->trace = (uint32_t)(s - e->ts);
		ref->seq = pp.seq;
		ref->used = true;
	}

	model_lock(e->m);
	h = model_hop(s->t, ttl);
	if (h != NULL)
		model_hop_sent(h);
	if (ttl > s->t->last_ttl && path_end(s->t) == 0)
		s->t->last_ttl = ttl;
	model_touch(e->m);
	model_unlock(e->m);
	return SEND_OK;
}

static void
start_round(struct engine *e, struct tstate *s)
{
	s->rounds++;
	s->send_ttl = s->t->first_ttl;
	s->send_limit = round_limit(s);
	model_lock(e->m);
	s->t->rounds = s->rounds;
	update_last_ttl(s);
	model_touch(e->m);
	model_unlock(e->m);
}

/* Sends what the current round still owes, within the in-flight bound. */
static void
send_pending(struct engine *e, struct tstate *s)
{
	struct timespec now;

	ntime_mono(&now);
	if (s->backoff != 0 && ntime_cmp(&now, &s->next_round) < 0)
		return;
	if (s->busy && ntime_cmp(&now, &s->send_at) < 0)
		return;
	while (s->send_ttl <= s->send_limit &&
	    s->inflight < (unsigned)e->opt.max_inflight) {
		/* The destination may have answered since the round began. */
		if (path_end(s->t) > 0 && s->send_ttl > path_end(s->t)) {
			s->send_ttl = s->send_limit + 1;
			break;
		}
		switch (send_probe(e, s, s->send_ttl)) {
		case SEND_OK:
			break;
		case SEND_BUSY:
			return;
		case SEND_FAILED:
			/* Give up this round; the backoff sets the next one. */
			s->send_ttl = s->send_limit + 1;
			return;
		}
		s->send_ttl++;
	}
}

/* Wait before retry k of a silent hop: a few path RTTs, doubling. */
static double
retry_wait(const struct engine *e, const struct tstate *s, int k)
{
	double worst = 0, w;
	int ttl;

	for (ttl = s->t->first_ttl; ttl <= s->t->last_ttl; ttl++) {
		const struct hop *h = model_hop_const(s->t, ttl);

		if (h != NULL && h->st.received > 0 && h->st.worst > worst)
			worst = h->st.worst;
	}
	w = fmax(0.05, 4 * worst / 1e3) * ldexp(1.0, k);
	return fmin(w, e->opt.timeout);
}

/* Report mode: re-probe the hops that never answered, with growing waits. */
static bool
send_retries(struct engine *e, struct tstate *s)
{
	bool sent = false;
	int ttl, last;
	double wait;

	if (s->retries_left <= 0)
		return false;
	model_lock(e->m);
	last = s->t->last_ttl;
	wait = retry_wait(e, s, s->retry_stage);
	model_unlock(e->m);
	for (ttl = s->t->first_ttl; ttl <= last; ttl++) {
		const struct hop *h = model_hop_const(s->t, ttl);
		struct probe *p;

		if (h == NULL || h->st.received > 0)
			continue;
		if (path_end(s->t) > 0 && ttl >= path_end(s->t))
			continue;
		if (s->inflight >= (unsigned)e->opt.max_inflight)
			break;
		if (send_probe(e, s, ttl) != SEND_OK)
			break;
		p = slot_of(s, (uint16_t)(s->next_seq - 1));
		if (p->seq != 0) {
			p->deadline = p->tx_mono;
			ntime_add_sec(&p->deadline, wait);
			note_deadline(s, &p->deadline);
		}
		sent = true;
	}
	s->retries_left--;
	s->retry_stage++;
	return sent;
}

/* Whether another round is due some time: unlimited, or cycles not yet run. */
static bool
more_rounds(const struct engine *e, const struct tstate *s)
{
	if (!(e->report || e->opt.cycles_set) || e->opt.cycles <= 0)
		return true;
	return s->rounds < (uint64_t)e->opt.cycles;
}

static bool
trace_done(const struct engine *e, const struct tstate *s)
{
	if (!e->report || e->opt.cycles <= 0)
		return false;
	return s->rounds >= (uint64_t)e->opt.cycles &&
	    s->send_ttl > s->send_limit && s->inflight == 0;
}

/* Counts the probes whose deadline passed as lost, and finds the next one. */
static void
expire(struct engine *e, size_t i, struct tstate *s, const struct timespec *now)
{
	struct timespec wall;
	struct probe *p;
	struct hop *h;
	unsigned k;

	s->has_deadline = false;
	for (k = 0; k < s->nslots && s->inflight > 0; k++) {
		p = &s->slots[k];
		if (p->seq == 0)
			continue;
		if (ntime_cmp(now, &p->deadline) < 0) {
			note_deadline(s, &p->deadline);
			continue;
		}
		model_lock(e->m);
		h = model_hop(s->t, p->ttl);
		if (h != NULL && !(path_end(s->t) > 0 && p->ttl > path_end(s->t))) {
			model_hop_lost(h);
			/* Event log: a loss burst may start here. */
			ntime_real(&wall);
			model_note_lost(e->m, i, h, &wall);
			report_probe(e, s, p, PKT_NONE, 0, NULL, NAN);
		}
		model_touch(e->m);
		model_unlock(e->m);
		free_probe(s, p);
	}
}

/* Starts rounds that are due and works out when the loop must wake next. */
static void
schedule(struct engine *e, int *timeout_ms)
{
	struct timespec now, wake;
	bool have_wake = false;
	size_t i;

	ntime_mono(&now);
	for (i = 0; i < e->nts; i++) {
		struct tstate *s = &e->ts[i];

		if (s->finished || !s->ready)
			continue;
		/* Expire probes whose time is up; scan only once the earliest is due. */
		if (s->inflight > 0 && (!s->has_deadline ||
		    ntime_cmp(&now, &s->next_deadline) >= 0))
			expire(e, i, s, &now);
		if (s->inflight > 0 && s->has_deadline &&
		    (!have_wake || ntime_cmp(&s->next_deadline, &wake) < 0)) {
			wake = s->next_deadline;
			have_wake = true;
		}
		if (!e->paused && s->send_ttl > s->send_limit && more_rounds(e, s) &&
		    ntime_cmp(&now, &s->next_round) >= 0) {
			start_round(e, s);
			s->next_round = now;
			ntime_add_sec(&s->next_round, e->interval);
		}
		send_pending(e, s);
		if (trace_done(e, s) && send_retries(e, s))
			continue;
		if (trace_done(e, s)) {
			s->finished = true;
			continue;
		}
		if (s->busy && s->send_ttl <= s->send_limit &&
		    (!have_wake || ntime_cmp(&s->send_at, &wake) < 0)) {
			wake = s->send_at;
			have_wake = true;
		}
		/* Wake for the next round, or for the end of a send backoff. */
		if (!e->paused && ((s->send_ttl > s->send_limit && more_rounds(e, s)) ||
		    (s->send_ttl <= s->send_limit && s->backoff != 0)) &&
		    (!have_wake || ntime_cmp(&s->next_round, &wake) < 0)) {
			wake = s->next_round;
			have_wake = true;
		}
	}
	if (!have_wake) {
		*timeout_ms = e->paused ? -1 : 1000;
		return;
	}
	ntime_mono(&now);
	{
		double ms = ntime_diff_ms(&wake, &now);

		*timeout_ms = ms <= 0 ? 0 : (int)ceil(ms);
	}
}

/* Finds the trace and probe a reply answers; NULL when it is not ours. */
static struct tstate *
match(struct engine *e, const struct pkt_reply *r, struct probe **out)
{
	size_t i;

	for (i = 0; i < e->nts; i++) {
		struct tstate *s = &e->ts[i];
		const struct pkt_probe *t = &s->tmpl;
		struct probe *p;

		if (!pkt_reply_matches(t, ENGINE_FLOWS, r))
			continue;
		p = slot_of(s, r->seq);
		if (p->seq != r->seq || r->seq == 0)
			continue;
		*out = p;
		return s;
	}
	return NULL;
}

/* RTT from kernel timestamps, checked against the monotonic clock. */
static double
reply_rtt(const struct probe *p, const struct net_reply *nr)
{
	return ntime_pick_rtt(ntime_diff_ms(&nr->rx_real, &p->tx_real),
	    ms_since(&p->tx_mono));
}

static void
cancel_beyond(struct engine *e, struct tstate *s, int dest_ttl)
{
	unsigned k;

	for (k = 0; k < s->nslots; k++) {
		struct probe *p = &s->slots[k];

		if (p->seq != 0 && p->ttl > dest_ttl)
			free_probe(s, p);
	}
	if (s->send_limit > dest_ttl)
		s->send_limit = dest_ttl;
	(void)e;
}

static void
handle_reply(struct engine *e, const struct net_reply *nr)
{
	const struct pkt_reply *r = &nr->pkt;
	struct probe *p;
	struct tstate *s;
	struct hop *h;
	struct responder *resp;
	bool dest, unreach = false;
	double rtt;
	struct timespec wall, mono;

	s = match(e, r, &p);
	if (s == NULL)
		return;
	rtt = reply_rtt(p, nr);

	switch (r->kind) {
	case PKT_ECHO_REPLY:
	case PKT_TCP_SYNACK:
	case PKT_TCP_RST:
		dest = true;
		break;
	case PKT_UNREACH:
		/* Port unreachable from the target is UDP's "reached" (RFC 792, 4443). */
		dest = addr_equal(&r->from, &s->tmpl.dst) &&
		    ((r->family == AF_INET && r->icmp_code == 3) ||
		    (r->family == AF_INET6 && r->icmp_code == 4));
		unreach = !dest;
		break;
	default:
		dest = false;
		break;
	}

	model_lock(e->m);
	if (path_end(s->t) > 0 && p->ttl > path_end(s->t)) {
		/* A probe past the end of the path: not a hop of it. */
		model_unlock(e->m);
		free_probe(s, p);
		return;
	}
	h = model_hop(s->t, p->ttl);
	if (h == NULL) {
		model_unlock(e->m);
		free_probe(s, p);
		return;
	}
	resp = model_hop_reply(h, &r->from, rtt, p->round);
	/* Event log and reply rate: new responders, bursts, unreachables. */
	ntime_real(&wall);
	ntime_mono(&mono);
	model_note_reply(e->m, (size_t)(s - e->ts), h, &r->from,
	    ntime_to_sec(&mono), &wall);
	if (unreach)
		model_note_unreach(e->m, (size_t)(s - e->ts), h, &r->from,
		    r->icmp_code, &wall);
	if (r->n_mpls > 0) {
		resp->n_mpls = r->n_mpls;
		memcpy(resp->mpls, r->mpls, r->n_mpls * sizeof(r->mpls[0]));
	}
	if (unreach) {
		resp->unreach_code = r->icmp_code;
		h->unreach_code = r->icmp_code;
	}
	if (p->ttl > s->highest_answer)
		s->highest_answer = p->ttl;
	if (dest && (!s->t->reached || p->ttl < s->t->dest_ttl)) {
		s->t->reached = true;
		s->t->dest_ttl = p->ttl;
		s->t->unreach_ttl = 0;
		cancel_beyond(e, s, p->ttl);
	} else if (unreach && !s->t->reached && (s->t->unreach_ttl == 0 ||
	    p->ttl < s->t->unreach_ttl)) {
		/* Like traceroute's !H/!N/!X: nothing lies past this hop. */
		s->t->unreach_ttl = p->ttl;
		cancel_beyond(e, s, p->ttl);
	} else if (!dest && r->kind == PKT_TIME_EXCEEDED && path_end(s->t) > 0 &&
	    p->ttl >= path_end(s->t)) {
		/* The path got longer: learn where it ends again. */
		s->t->reached = false;
		s->t->dest_ttl = 0;
		s->t->unreach_ttl = 0;
	}
	update_last_ttl(s);
	/* Event log: the destination answering at another TTL. */
	model_note_dest(e->m, (size_t)(s - e->ts), &wall);
	report_probe(e, s, p, dest && r->kind == PKT_UNREACH ? PKT_ECHO_REPLY :
	    r->kind, r->icmp_code, &r->from, rtt);
	model_touch(e->m);
	model_unlock(e->m);
	if (p->seq != 0)
		free_probe(s, p);
	if (e->dns || e->asn)
		resolve_lookup(e->res, &r->from, e->dns, e->asn);
}

/* A kernel transmit timestamp refines the send time of its probe. */
static void
handle_txstamp(struct engine *e, int fam, const struct net_txstamp *ts)
{
	struct txref *ring, *ref;
	struct tstate *s;
	struct probe *p;

	if (ts->sock < 0 || ts->sock >= NET_MAX_SOCKS)
		return;
	ring = e->txring[fam][ts->sock];
	if (ring == NULL)
		return;
	ref = &ring[ts->key % ENGINE_TXRING];
	if (!ref->used || ref->key != ts->key || ref->trace >= e->nts)
		return;
	ref->used = false;
	s = &e->ts[ref->trace];
	p = slot_of(s, ref->seq);
	if (p->seq != ref->seq)
		return;
	/* Only forward: a TX stamp is never before the clock read that preceded it. */
	if (ntime_diff_ms(&ts->tx_real, &p->tx_real) >= 0 &&
	    ntime_diff_ms(&ts->tx_real, &p->tx_real) < 1000)
		p->tx_real = ts->tx_real;
}

static void
drain(struct engine *e, int fam, int fd, short revents)
{
	struct net *n = &e->nets[fam];
	struct net_reply nr;
	struct net_txstamp ts;
	int rc, budget = 256;

	while (budget-- > 0) {
		rc = n->ops->recv(n, fd, revents, &nr, &ts);
		if (rc == 1)
			handle_reply(e, &nr);
		else if (rc == 2)
			handle_txstamp(e, fam, &ts);
		else if (rc <= 0)
			break;
		/* After the error queue is empty, read ordinary data. */
		if (rc == 0 || rc == 3)
			revents &= (short)~POLLERR;
	}
}

/*
 * The UI changed what a trace probes (u, t, f, m keys): forget what is in
 * flight and start the trace's statistics afresh with the new setting.
 */
static void
restart_trace(struct engine *e, struct tstate *s, enum engine_cmd cmd, int v)
{
	struct trace *t = s->t;
	int first = t->first_ttl, max = t->max_ttl;
	char err[MODEL_STATUS_MAX];
	unsigned k;

	if (cmd == ENGINE_SET_PROTOCOL && (v < 0 || v >= PROTO_COUNT))
		return;
	if (cmd == ENGINE_SET_FIRST_TTL) {
		if (v < 1 || v > max)
			return;
		first = v;
	}
	if (cmd == ENGINE_SET_MAX_TTL) {
		if (v < first || v > 255)
			return;
		max = v;
	}
	for (k = 0; k < s->nslots; k++)
		s->slots[k].seq = 0;
	s->inflight = 0;
	s->first_round_left = 0;
	s->send_ttl = 1;
	s->send_limit = 0;
	s->rounds = 0;
	s->highest_answer = 0;
	ntime_mono(&s->next_round);

	model_lock(e->m);
	if (cmd == ENGINE_SET_PROTOCOL) {
		t->proto = (enum proto)v;
		t->port = t->proto == PROTO_ICMP ? 0 : e->opt.port != 0 ?
		    e->opt.port : t->proto == PROTO_UDP ? 33434 : 80;
		s->tmpl.proto = t->proto;
		s->tmpl.dport = t->port;
	}
	t->first_ttl = first;
	t->max_ttl = max;
	if (model_trace_alloc_hops(t) == -1)
		snprintf(e->m->status, sizeof(e->m->status), "out of memory");
	t->reached = false;
	t->dest_ttl = 0;
	t->unreach_ttl = 0;
	t->last_ttl = 0;
	t->rounds = 0;
	model_touch(e->m);
	model_unlock(e->m);

	if (cmd == ENGINE_SET_PROTOCOL && s->ready && s->net->ops->prepare != NULL &&
	    s->net->ops->prepare(s->net, &s->tmpl, err, sizeof(err)) == -1)
		set_status(e, "%s", err);
}

static void
do_command(struct engine *e, const struct cmd_msg *c)
{
	size_t i;

	switch (c->cmd) {
	case ENGINE_QUIT:
		e->quit = true;
		break;
	case ENGINE_PAUSE:
	case ENGINE_RESUME:
		e->paused = c->cmd == ENGINE_PAUSE;
		model_lock(e->m);
		e->m->paused = e->paused;
		model_touch(e->m);
		model_unlock(e->m);
		break;
	case ENGINE_RESET:
		model_lock(e->m);
		model_reset(e->m);
		for (i = 0; i < e->nts; i++) {
			e->ts[i].highest_answer = 0;
			e->ts[i].rounds = 0;
		}
		model_unlock(e->m);
		break;
	case ENGINE_SET_INTERVAL:
		if (c->arg >= 0.01 && c->arg <= 3600) {
			e->interval = c->arg;
			model_lock(e->m);
			e->m->interval = c->arg;
			model_touch(e->m);
			model_unlock(e->m);
		}
		break;
	case ENGINE_SET_PSIZE:
		e->psize = (int)c->arg;
		break;
	case ENGINE_SET_TOS:
		if (c->arg >= 0 && c->arg <= 255)
			e->tos = (int)c->arg;
		break;
	case ENGINE_SET_DNS:
		e->dns = c->arg != 0;
		break;
	case ENGINE_SET_ASN:
		e->asn = c->arg != 0;
		break;
	case ENGINE_SET_PROTOCOL:
	case ENGINE_SET_FIRST_TTL:
	case ENGINE_SET_MAX_TTL:
		for (i = 0; i < e->nts; i++)
			if (c->trace < 0 || (size_t)c->trace == i)
				restart_trace(e, &e->ts[i], c->cmd, (int)c->arg);
		break;
	}
}

static void
read_commands(struct engine *e)
{
	struct cmd_msg c;

	while (read(e->cmd_pipe[0], &c, sizeof(c)) == (ssize_t)sizeof(c))
		do_command(e, &c);
}

static bool
all_finished(const struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nts; i++)
		if (!e->ts[i].finished)
			return false;
	return e->nts > 0;
}

/* Stops the run with a message main prints after it ends. */
static void
fail(struct engine *e, const char *msg)
{
	model_lock(e->m);
	snprintf(e->m->error, sizeof(e->m->error), "%s", msg);
	model_touch(e->m);
	model_unlock(e->m);
	e->quit = true;
}

/* Report mode: once probing is over, names still on their way get at most 1 s. */
static bool
names_settled(struct engine *e)
{
	struct timespec now;

	if (!e->dns && !e->asn)
		return true;
	ntime_mono(&now);
	if (!e->names_wait) {
		e->names_wait = true;
		e->names_deadline = now;
		ntime_add_sec(&e->names_deadline, 1.0);
	}
	return resolve_timeout_ms(e->res) < 0 ||
	    ntime_cmp(&now, &e->names_deadline) >= 0;
}

static void on_target(void *arg, enum resolve_status st, const struct addr *a,
    const char *msg);

/* Room in the engine's pollfd arrays for every socket it must watch. */
static int
grow_pollfds(struct engine *e, int need)
{
	struct pollfd *p;
	int *f;

	if (need <= e->pcap)
		return 0;
	p = realloc(e->pfd, (size_t)need * sizeof(*p));
	if (p == NULL)
		return -1;
	e->pfd = p;
	f = realloc(e->pfam, (size_t)need * sizeof(*f));
	if (f == NULL)
		return -1;
	e->pfam = f;
	e->pcap = need;
	return 0;
}

static void *
engine_main(void *arg)
{
	struct engine *e = arg;
	struct pollfd *pfd;
	int n, nres, i, fam, timeout, rt;
	size_t t;

	for (t = 0; t < e->nts && !e->quit; t++) {
		/* One query per target: its traces (one per protocol) are adjacent. */
		if (t > 0 && e->ts[t].target == e->ts[t - 1].target)
			continue;
		resolve_target(e->res, e->opt.targets[e->ts[t].target],
		    e->opt.family, on_target, &e->ts[t]);
	}
	while (!e->quit) {
		schedule(e, &timeout);
		if (e->report && all_finished(e) && names_settled(e))
			break;
		rt = resolve_timeout_ms(e->res);
		if (rt >= 0 && (timeout < 0 || rt < timeout))
			timeout = rt;
		if (e->names_wait && (timeout < 0 || timeout > 50))
			timeout = 50;
		if (grow_pollfds(e, 1 + e->nets[0].nfds + e->nets[1].nfds +
		    RESOLVE_MAX_FDS) == -1) {
			fail(e, "out of memory");
			break;
		}
		pfd = e->pfd;
		n = 0;
		pfd[n].fd = e->cmd_pipe[0];
		pfd[n].events = POLLIN;
		n++;
		for (fam = 0; fam < 2; fam++) {
			if (!e->net_open[fam])
				continue;
			for (i = 0; i < e->nets[fam].nfds; i++) {
				pfd[n] = e->nets[fam].fds[i];
				e->pfam[n] = fam;
				n++;
			}
		}
		nres = resolve_fds(e->res, pfd + n, RESOLVE_MAX_FDS);
		if (poll(pfd, (nfds_t)(n + nres), timeout) == -1) {
			if (errno == EINTR)
				continue;
			set_status(e, "poll: %s", strerror(errno));
			break;
		}
		if (pfd[0].revents & POLLIN)
			read_commands(e);
		/* Transmit timestamps first, so the replies after them use them. */
		for (i = 1; i < n; i++)
			if (pfd[i].revents & POLLERR)
				drain(e, e->pfam[i], pfd[i].fd, POLLERR);
		for (i = 1; i < n; i++)
			if (pfd[i].revents & (POLLIN | POLLOUT | POLLHUP))
				drain(e, e->pfam[i], pfd[i].fd,
				    pfd[i].revents & (POLLIN | POLLOUT | POLLHUP));
		resolve_handle(e->res, pfd + n, nres);
	}
	model_lock(e->m);
	e->m->done = true;
	ntime_real(&e->m->finished);
	model_touch(e->m);
	model_unlock(e->m);
	return NULL;
}

/* What a trace knows before its target is resolved. */
static int
setup_trace(struct engine *e, struct tstate *s, struct trace *t, int target,
    enum proto proto, char *err, size_t errlen)
{
	snprintf(t->target, sizeof(t->target), "%s", e->opt.targets[target]);
	t->family = e->opt.family;
	t->proto = proto;
	t->port = proto == PROTO_ICMP ? 0 :
	    e->opt.port != 0 ? e->opt.port : proto == PROTO_UDP ? 33434 : 80;
	t->first_ttl = e->opt.first_ttl;
	t->max_ttl = e->opt.max_ttl;
	if (model_trace_alloc_hops(t) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->t = t;
	s->target = target;
	s->tmpl.proto = proto;
	s->tmpl.dport = t->port;
	s->nslots = 1;
	while (s->nslots < 2u * (unsigned)e->opt.max_inflight + 2)
		s->nslots <<= 1;
	s->slots = calloc(s->nslots, sizeof(*s->slots));
	if (s->slots == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->next_seq = 1;
	s->send_ttl = 1;
	s->send_limit = 0;
	s->retries_left = e->report ? e->opt.retries : 0;
	return 0;
}

/*
 * One trace cannot run (no address, no route, no socket): it ends with its
 * reason and the others go on; the run fails only when every trace did.
 */
static void
trace_fail(struct engine *e, struct tstate *s, const char *msg)
{
	size_t i;
	bool all = true;

	model_lock(e->m);
	snprintf(s->t->error, sizeof(s->t->error), "%s", msg);
	model_touch(e->m);
	model_unlock(e->m);
	s->finished = true;
	s->ready = false;
	for (i = 0; i < e->nts; i++)
		if (e->ts[i].t->error[0] == '\0')
			all = false;
	if (all)
		fail(e, msg);
}

/* The target's address arrived: every trace of it can start. */
static void
on_target(void *arg, enum resolve_status st, const struct addr *a,
    const char *msg)
{
	struct tstate *first = arg, *s;
	struct engine *e = NULL;
	char err[MODEL_STATUS_MAX];
	size_t i;

	/* Traces of one target are adjacent and share its index. */
	e = first->engine;
	if (st != RESOLVE_OK) {
		for (i = (size_t)(first - e->ts); i < e->nts &&
		    e->ts[i].target == first->target; i++)
			trace_fail(e, &e->ts[i],
			    msg != NULL ? msg : "cannot resolve the target");
		return;
	}
	for (i = (size_t)(first - e->ts); i < e->nts; i++) {
		s = &e->ts[i];
		if (s->target != first->target)
			break;
		if (!e->net_open[fam_index(a->family)]) {
			snprintf(err, sizeof(err), "%s: IPv%d is not available on this host",
			    e->opt.targets[first->target], a->family == AF_INET ? 4 : 6);
			trace_fail(e, s, err);
			continue;
		}
		s->tmpl.family = a->family;
		s->tmpl.dst = *a;
		s->net = &e->nets[fam_index(a->family)];
		if (net_route_source(a, e->opt.src_addr, e->opt.interface,
		    &s->tmpl.src, err, sizeof(err)) == -1) {
			trace_fail(e, s, err);
			continue;
		}
		if (s->net->ops->prepare != NULL &&
		    s->net->ops->prepare(s->net, &s->tmpl, err, sizeof(err)) == -1) {
			trace_fail(e, s, err);
			continue;
		}
		model_lock(e->m);
		s->t->dst = *a;
		s->t->family = a->family;
		model_touch(e->m);
		model_unlock(e->m);
		ntime_mono(&s->next_round);
		s->ready = true;
	}
}

/* Opens the sockets of one family; a family the host lacks is not an error. */
static int
open_family(struct engine *e, int fam, unsigned protos, bool optional,
    char *err, size_t errlen)
{
	struct net *n = &e->nets[fam];

	n->ops = e->ops;
	n->timeout = e->opt.timeout;
	n->bind_addr = e->opt.src_addr;
	n->interface = e->opt.interface;
	if (n->ops->open(n, fam ? AF_INET6 : AF_INET, protos, err, errlen) == -1) {
		int saved = errno;

		if (n->priv != NULL)
			n->ops->close(n);
		memset(n, 0, sizeof(*n));
		if (optional && (saved == EAFNOSUPPORT || saved == EPROTONOSUPPORT))
			return 0;
		return -1;
	}
	e->net_open[fam] = true;
	return 0;
}

struct engine *
engine_new(const struct options *o, struct model *m, char *err, size_t errlen)
{
	struct engine *e;
	unsigned protos = o->protocols != 0 ? o->protocols : 1u << PROTO_ICMP;
	bool want[2] = { true, true }, known[2] = { false, false };
	size_t k;
	int t, p, fam, fl;

	e = calloc(1, sizeof(*e));
	if (e == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->opt = *o;
	e->m = m;
	e->cmd_pipe[0] = e->cmd_pipe[1] = -1;
	e->interval = o->interval;
	e->psize = o->psize;
	e->tos = o->tos;
	e->report = o->mode != MODE_INTERACTIVE;
	e->dns = !o->no_dns;
	e->asn = o->aslookup;
	m->interval = o->interval;
	/* Event log thresholds (issue 9). */
	m->burst_pct = o->burst_loss;
	m->burst_window = (unsigned)o->burst_window;
	ntime_real(&m->started);

	e->nts = m->ntraces;
	e->ts = calloc(e->nts ? e->nts : 1, sizeof(*e->ts));
	if (e->ts == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	k = 0;
	for (t = 0; t < o->n_targets; t++) {
		struct addr a;

		/* Numeric targets tell which families need sockets. */
		if (addr_pton(o->targets[t], &a) == 0)
			known[fam_index(a.family)] = true;
		else
			known[0] = known[1] = true;
		for (p = 0; p < PROTO_COUNT; p++) {
			if (!(protos & (1u << p)))
				continue;
			if (k >= e->nts) {
				snprintf(err, errlen, "internal error: too many traces");
				goto fail;
			}
			e->ts[k].engine = e;
			if (setup_trace(e, &e->ts[k], &m->traces[k], t,
			    (enum proto)p, err, errlen) == -1)
				goto fail;
			pick_identity(e, k);
			k++;
		}
	}
	if (o->family == AF_INET)
		want[1] = false;
	if (o->family == AF_INET6)
		want[0] = false;
	/* Raw sockets when we may, else the unprivileged back end. */
	e->ops = o->unprivileged || !privs_have_net_raw() ? &net_dgram_ops :
	    &net_raw_ops;
	/* The UI can switch protocols later: open raw ones now, before privileges go. */
	if (o->mode == MODE_INTERACTIVE && e->ops == &net_raw_ops)
		protos = (1u << PROTO_COUNT) - 1;
	for (fam = 0; fam < 2; fam++) {
		if (!want[fam] || !known[fam])
			continue;
		/* A name may resolve to either family: the one the host lacks is optional. */
		if (open_family(e, fam, protos, known[!fam] && want[!fam], err,
		    errlen) == -1)
			goto fail;
	}
	m->backend = e->ops->name;

	e->res = resolve_new(m, o->dns_servers, o->n_dns_servers, err, errlen);
	if (e->res == NULL)
		goto fail;
	if (pipe2(e->cmd_pipe, O_CLOEXEC | O_NONBLOCK) == -1) {
		snprintf(err, errlen, "cannot create the engine's command pipe: %s%s",
		    strerror(errno), errno == EMFILE || errno == ENFILE ?
		    " (raise the open-file limit, e.g. ulimit -n 1024)" : "");
		goto fail;
	}
	fl = fcntl(e->cmd_pipe[1], F_GETFL);
	fcntl(e->cmd_pipe[1], F_SETFL, fl & ~O_NONBLOCK);
	return e;
fail:
	engine_free(e);
	return NULL;
}

void
engine_set_probe_cb(struct engine *e, engine_probe_cb cb, void *arg)
{
	e->cb = cb;
	e->cb_arg = arg;
}

int
engine_start(struct engine *e)
{
	if (pthread_create(&e->thread, NULL, engine_main, e) != 0)
		return -1;
	e->started = true;
	return 0;
}

void
engine_command(struct engine *e, enum engine_cmd cmd, double arg)
{
	engine_command_trace(e, cmd, -1, arg);
}

void
engine_command_trace(struct engine *e, enum engine_cmd cmd, long trace,
    double arg)
{
	struct cmd_msg c = { cmd, trace, arg };
	ssize_t w;

	do {
		w = write(e->cmd_pipe[1], &c, sizeof(c));
	} while (w == -1 && errno == EINTR);
}

void
engine_join(struct engine *e)
{
	if (e->started) {
		pthread_join(e->thread, NULL);
		e->started = false;
	}
}

void
engine_free(struct engine *e)
{
	size_t i;
	int fam;

	if (e == NULL)
		return;
	if (e->started) {
		engine_command(e, ENGINE_QUIT, 0);
		engine_join(e);
	}
	for (fam = 0; fam < 2; fam++) {
		if (e->net_open[fam])
			e->nets[fam].ops->close(&e->nets[fam]);
		for (i = 0; i < NET_MAX_SOCKS; i++)
			free(e->txring[fam][i]);
	}
	for (i = 0; e->ts != NULL && i < e->nts; i++)
		free(e->ts[i].slots);
	if (e->res != NULL)
		resolve_free(e->res);
	free(e->pfd);
	free(e->pfam);
	free(e->ts);
	if (e->cmd_pipe[0] != -1)
		close(e->cmd_pipe[0]);
	if (e->cmd_pipe[1] != -1)
		close(e->cmd_pipe[1]);
	free(e);
}
