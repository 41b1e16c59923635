/* The model shared by the engine, the UI and the reports. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "names.h"

static void
hop_init(struct hop *h, int ttl)
{
	memset(h, 0, sizeof(*h));
	h->ttl = ttl;
	h->unreach_code = -1;
	stats_init(&h->st);
	stats_window_init(&h->win);
}

int
model_init(struct model *m, size_t ntraces)
{
	memset(m, 0, sizeof(*m));
	if (pthread_mutex_init(&m->lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&m->changed, NULL) != 0) {
		pthread_mutex_destroy(&m->lock);
		return -1;
	}
	m->backend = "raw";
	m->burst_pct = MODEL_BURST_PCT;
	m->burst_window = MODEL_BURST_WINDOW;
	m->names = names_new(NAMES_CAPACITY);
	m->events = calloc(1, sizeof(*m->events));
	if (m->names == NULL || m->events == NULL) {
		model_free(m);
		return -1;
	}
	if (ntraces > 0) {
		m->traces = calloc(ntraces, sizeof(*m->traces));
		if (m->traces == NULL) {
			model_free(m);
			return -1;
		}
	}
	m->ntraces = ntraces;
	return 0;
}

void
model_free(struct model *m)
{
	size_t i;

	for (i = 0; i < m->ntraces; i++)
		free(m->traces[i].hops);
	free(m->traces);
	m->traces = NULL;
	m->ntraces = 0;
	names_free(m->names);
	m->names = NULL;
	free(m->events);
	m->events = NULL;
	pthread_cond_destroy(&m->changed);
	pthread_mutex_destroy(&m->lock);
}

int
model_trace_alloc_hops(struct trace *t)
{
	int ttl, n;

	if (t->first_ttl < 1 || t->max_ttl < t->first_ttl || t->max_ttl > 255)
		return -1;
	n = t->max_ttl - t->first_ttl + 1;
	free(t->hops);
	t->hops = calloc((size_t)n, sizeof(*t->hops));
	if (t->hops == NULL)
		return -1;
	/* A new hop array is a new path: no earlier destination TTL to compare. */
	t->known_dest_ttl = 0;
	for (ttl = t->first_ttl; ttl <= t->max_ttl; ttl++)
		hop_init(&t->hops[ttl - t->first_ttl], ttl);
	return 0;
}

void
model_lock(struct model *m)
{
	pthread_mutex_lock(&m->lock);
}

void
model_unlock(struct model *m)
{
	pthread_mutex_unlock(&m->lock);
}

void
model_touch(struct model *m)
{
	m->generation++;
	/* Only the end of a run wakes waiters: a wake-up per probe costs more than the probe. */
	if (m->done)
		pthread_cond_broadcast(&m->changed);
}

struct hop *
model_hop(struct trace *t, int ttl)
{
	if (t->hops == NULL || ttl < t->first_ttl || ttl > t->max_ttl)
		return NULL;
	return &t->hops[ttl - t->first_ttl];
}

const struct hop *
model_hop_const(const struct trace *t, int ttl)
{
	if (t->hops == NULL || ttl < t->first_ttl || ttl > t->max_ttl)
		return NULL;
	return &t->hops[ttl - t->first_ttl];
}

int
model_trace_last_ttl(const struct trace *t)
{
	int last;

	if (t->reached && t->dest_ttl >= t->first_ttl)
		return t->dest_ttl;
	/* An unreachable ends the path where it came from. */
	if (t->unreach_ttl >= t->first_ttl)
		return t->unreach_ttl;
	last = t->last_ttl;
	if (last > t->max_ttl)
		last = t->max_ttl;
	if (last < t->first_ttl)
		return t->first_ttl - 1;
	return last;
}

static void
hist_push(struct hop *h, float v)
{
	h->hist[h->hist_pos] = v;
	h->hist_pos = (h->hist_pos + 1) % MODEL_HIST;
	if (h->hist_len < MODEL_HIST)
		h->hist_len++;
}

/* Keeps responders ordered by reply count, most frequent first. */
static struct responder *
resp_bubble(struct hop *h, unsigned i)
{
	struct responder tmp;

	while (i > 0 && h->resp[i].st.received > h->resp[i - 1].st.received) {
		tmp = h->resp[i - 1];
		h->resp[i - 1] = h->resp[i];
		h->resp[i] = tmp;
		i--;
	}
	return &h->resp[i];
}

struct responder *
model_hop_reply(struct hop *h, const struct addr *from, double rtt_ms,
    uint64_t round)
{
	struct responder *r = NULL;
	unsigned i;

	stats_reply(&h->st, rtt_ms);
	stats_window_add(&h->win, rtt_ms);
	hist_push(h, (float)rtt_ms);

	for (i = 0; i < h->nresp; i++) {
		if (addr_equal(&h->resp[i].addr, from)) {
			r = &h->resp[i];
			break;
		}
	}
	if (r == NULL) {
		if (h->nresp < MODEL_MAX_RESP) {
			i = h->nresp++;
		} else {
			/* Full: the least frequent responder makes room. */
			i = MODEL_MAX_RESP - 1;
		}
		r = &h->resp[i];
		memset(r, 0, sizeof(*r));
		r->addr = *from;
		r->unreach_code = -1;
		stats_init(&r->st);
	}
	stats_reply(&r->st, rtt_ms);
	r->last_seen = round;
	return resp_bubble(h, i);
}

void
model_hop_sent(struct hop *h)
{
	stats_sent(&h->st);
}

void
model_hop_lost(struct hop *h)
{
	stats_lost(&h->st);
	hist_push(h, MODEL_HIST_LOST);
}

void
model_hop_reply_time(struct hop *h, double mono_s)
{
	h->reply_t[h->reply_pos] = mono_s;
	h->reply_pos = (h->reply_pos + 1) % MODEL_REPLY_TIMES;
	if (h->reply_len < MODEL_REPLY_TIMES)
		h->reply_len++;
}

int
model_hop_burst(struct hop *h, unsigned window, double pct, double *loss)
{
	unsigned i, lost = 0;

	*loss = 0;
	if (!(pct > 0) || window < 1 || window > MODEL_HIST ||
	    h->hist_len < window)
		return 0;
	for (i = 1; i <= window; i++)
		if (h->hist[(h->hist_pos + MODEL_HIST - i) % MODEL_HIST] ==
		    MODEL_HIST_LOST)
			lost++;
	*loss = 100.0 * lost / window;
	if (!h->burst && *loss >= pct) {
		h->burst = true;
		return 1;
	}
	/* Half the threshold to end, so a loss rate near it does not flap. */
	if (h->burst && *loss <= pct / 2) {
		h->burst = false;
		return -1;
	}
	return 0;
}

void
model_event_add(struct model *m, const struct model_event *ev)
{
	struct model_events *l = m->events;
	struct model_event *e;

	if (l == NULL)
		return;
	if (l->next_seq == 0)
		l->next_seq = 1;
	e = &l->ev[(l->next_seq - 1) % MODEL_EVENTS];
	*e = *ev;
	e->seq = l->next_seq++;
}

uint64_t
model_event_end(const struct model *m)
{
	if (m->events == NULL || m->events->next_seq == 0)
		return 1;
	return m->events->next_seq;
}

uint64_t
model_event_first(const struct model *m)
{
	uint64_t end = model_event_end(m);

	return end > MODEL_EVENTS ? end - MODEL_EVENTS : 1;
}

const struct model_event *
model_event_get(const struct model *m, uint64_t seq)
{
	if (seq < model_event_first(m) || seq >= model_event_end(m))
		return NULL;
	return &m->events->ev[(seq - 1) % MODEL_EVENTS];
}

size_t
model_events_copy(const struct model *m, size_t trace,
    struct model_event *out, size_t cap)
{
	uint64_t seq, first = model_event_first(m);
	const struct model_event *e;
	size_t n = 0, k;

	if (cap == 0)
		return 0;
	/* Walk back to find the latest cap events, then copy them in order. */
	for (seq = model_event_end(m); seq > first && n < cap; seq--) {
		e = model_event_get(m, seq - 1);
		if (e != NULL && e->trace == trace)
			n++;
	}
	for (k = 0; seq < model_event_end(m) && k < n; seq++) {
		e = model_event_get(m, seq);
		if (e != NULL && e->trace == trace)
			out[k++] = *e;
	}
	return k;
}

static void
model_event_init(struct model_event *ev, enum model_event_kind kind,
    size_t i, int ttl, const struct timespec *when)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->trace = i;
	ev->ttl = ttl;
	ev->when = *when;
}

/* A burst starting or ending at h after its latest result. */
static void
model_note_burst(struct model *m, size_t i, struct hop *h,
    const struct timespec *when)
{
	struct model_event ev;
	double loss;
	int b;

	b = model_hop_burst(h, m->burst_window, m->burst_pct, &loss);
	if (b == 0)
		return;
	model_event_init(&ev, b > 0 ? MODEL_EV_BURST_START : MODEL_EV_BURST_END,
	    i, h->ttl, when);
	ev.loss_pct = loss;
	model_event_add(m, &ev);
}

void
model_note_reply(struct model *m, size_t i, struct hop *h,
    const struct addr *from, double mono_s, const struct timespec *when)
{
	struct model_event ev;
	unsigned r;

	model_hop_reply_time(h, mono_s);
	/* A responder whose first reply this is, at a TTL that had another. */
	for (r = 0; r < h->nresp; r++) {
		if (!addr_equal(&h->resp[r].addr, from))
			continue;
		if (h->resp[r].st.received == 1 && addr_is_set(&h->last_from) &&
		    !addr_equal(&h->last_from, from)) {
			model_event_init(&ev, MODEL_EV_RESPONDER, i, h->ttl, when);
			ev.old_addr = h->last_from;
			ev.new_addr = *from;
			model_event_add(m, &ev);
		}
		break;
	}
	h->last_from = *from;
	model_note_burst(m, i, h, when);
}

void
model_note_lost(struct model *m, size_t i, struct hop *h,
    const struct timespec *when)
{
	model_note_burst(m, i, h, when);
}

/* Whether anyone but the destination ever answered at this TTL. */
static bool
model_hop_had_router(const struct trace *t, int ttl)
{
	const struct hop *h = model_hop_const(t, ttl);
	unsigned r;

	for (r = 0; h != NULL && r < h->nresp; r++)
		if (!addr_equal(&h->resp[r].addr, &t->dst))
			return true;
	return false;
}

void
model_note_dest(struct model *m, size_t i, const struct timespec *when)
{
	struct trace *t;
	struct model_event ev;

	if (i >= m->ntraces)
		return;
	t = &m->traces[i];
	if (!t->reached || t->dest_ttl <= 0 || t->dest_ttl == t->known_dest_ttl)
		return;
	/*
	 * Closer than before is only news when a router answered at that TTL
	 * earlier; otherwise its probes were merely lost until now (discovery).
	 */
	if (t->known_dest_ttl != 0 && (t->dest_ttl > t->known_dest_ttl ||
	    model_hop_had_router(t, t->dest_ttl))) {
		model_event_init(&ev, MODEL_EV_DEST_TTL, i, t->dest_ttl, when);
		ev.old_ttl = t->known_dest_ttl;
		ev.new_ttl = t->dest_ttl;
		model_event_add(m, &ev);
	}
	t->known_dest_ttl = t->dest_ttl;
}

void
model_note_unreach(struct model *m, size_t i, struct hop *h,
    const struct addr *from, int code, const struct timespec *when)
{
	struct model_event ev;

	if (h->unreach_code == code)
		return;
	model_event_init(&ev, MODEL_EV_UNREACH, i, h->ttl, when);
	ev.new_addr = *from;
	ev.code = code;
	model_event_add(m, &ev);
}

void
model_note_send(struct model *m, size_t i, int err,
    const struct timespec *when)
{
	struct model_event ev;

	model_event_init(&ev, err != 0 ? MODEL_EV_SEND_ERROR : MODEL_EV_SEND_OK,
	    i, 0, when);
	ev.code = err;
	model_event_add(m, &ev);
}

void
model_reset(struct model *m)
{
	size_t i;
	int ttl;

	for (i = 0; i < m->ntraces; i++) {
		struct trace *t = &m->traces[i];

		for (ttl = t->first_ttl; t->hops != NULL && ttl <= t->max_ttl; ttl++)
			hop_init(&t->hops[ttl - t->first_ttl], ttl);
		t->reached = false;
		t->dest_ttl = 0;
		t->unreach_ttl = 0;
		t->last_ttl = 0;
		t->rounds = 0;
	}
	model_touch(m);
}

int
model_trace_copy(const struct trace *src, struct trace *dst)
{
	size_t n;

	*dst = *src;
	dst->hops = NULL;
	if (src->hops == NULL)
		return 0;
	n = (size_t)(src->max_ttl - src->first_ttl + 1);
	dst->hops = malloc(n * sizeof(*dst->hops));
	if (dst->hops == NULL)
		return -1;
	memcpy(dst->hops, src->hops, n * sizeof(*dst->hops));
	return 0;
}

void
model_trace_copy_free(struct trace *t)
{
	free(t->hops);
	t->hops = NULL;
}

const char *
model_name(const struct model *m, const struct addr *a)
{
	if (m->names == NULL)
		return NULL;
	return names_ptr(m->names, a);
}

const char *
model_asn(const struct model *m, const struct addr *a)
{
	return model_asn_field(m, a, NAMES_AS_NUMBER);
}

const char *
model_asn_field(const struct model *m, const struct addr *a, int field)
{
	if (m->names == NULL || field < 0 || field >= NAMES_AS_NFIELDS)
		return NULL;
	return names_asn(m->names, a, (enum names_as_field)field);
}
