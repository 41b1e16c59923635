/*
 * Non-interactive output: mtr's text report, JSON, CSV and the per-probe
 * stream, formatted from the model (doc/formats.md describes each).
 * Everything that came from the network passes through sanitize first.
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "diag.h"
#include "fields.h"
#include "ntime.h"
#include "report.h"
#include "sanitize.h"

/* mtr's report default; its space is mtr's blank column after the counts. */
#define REPORT_DEFAULT_ORDER "LS NABWV"
/* mtr puts the first field at column 33 unless -w asks for the full name. */
#define REPORT_HOST_COLUMN 33
#define REPORT_ROW_PREFIX 8		/* " %2d.|-- " */
#define REPORT_HEADER_PREFIX 6		/* "HOST: " */
#define REPORT_NAME_MAX 1024		/* sanitized names; DNS names are <= 253 */
#define REPORT_LABEL_MAX (REPORT_NAME_MAX + ADDR_STRLEN + 64)
#define REPORT_HOSTNAME_MAX 256
#define REPORT_TIME_MAX 40

static const struct options report_default_options = {
	.family = 0,
};

static const struct options *
report_opts(const struct options *o)
{
	return o != NULL ? o : &report_default_options;
}

static int
report_family_number(const struct trace *t)
{
	int family = t->family != 0 ? t->family : t->dst.family;

	return family == AF_INET6 ? 6 : 4;
}

static const char *
report_proto(const struct trace *t)
{
	switch (t->proto) {
	case PROTO_UDP:
		return "udp";
	case PROTO_TCP:
		return "tcp";
	default:
		return "icmp";
	}
}

static bool
report_time_set(const struct timespec *ts)
{
	return ts->tv_sec != 0 || ts->tv_nsec != 0;
}

static uint64_t
report_cycles(const struct model *m)
{
	uint64_t max = 0;
	size_t i;

	for (i = 0; i < m->ntraces; i++) {
		if (m->traces[i].rounds > max)
			max = m->traces[i].rounds;
	}
	return max;
}

/* The hop's unreachable text, or NULL when no unreachable was seen. */
static const char *
report_unreach(const struct trace *t, const struct hop *h)
{
	int family = t->family != 0 ? t->family : t->dst.family;

	if (h->unreach_code < 0 || h->unreach_code > 255)
		return NULL;
	return pkt_unreach_name(family, (uint8_t)h->unreach_code);
}

/* Writes "\uXXXX"; code points above the BMP never need it here. */
static void
report_json_u(FILE *out, uint32_t cp)
{
	fprintf(out, "\\u%04" PRIx32, cp);
}

void
report_json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0, n;
	uint32_t cp;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	len = strlen(s);
	fputc('"', out);
	while (i < len) {
		n = sanitize_utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			/* Invalid UTF-8 becomes U+FFFD, one per bad byte. */
			fputs("\\ufffd", out);
			i++;
			continue;
		}
		if (cp == '"')
			fputs("\\\"", out);
		else if (cp == '\\')
			fputs("\\\\", out);
		else if (sanitize_is_unsafe(cp) || cp == 0x2028 ||
		    cp == 0x2029)
			/* RFC 8259 section 7, plus what a terminal or JS eats. */
			report_json_u(out, cp);
		else
			fwrite(p + i, 1, n, out);
		i += n;
	}
	fputc('"', out);
}

/* Writes an ms value with 3 decimals, or null when there is none. */
static void
report_json_ms(FILE *out, double v)
{
	if (isfinite(v))
		fprintf(out, "%.3f", v);
	else
		fputs("null", out);
}

/* Formats v with 1 to 3 decimals ("0.0", "12.5", "33.333"). */
static void
report_trimmed(char *buf, size_t len, double v)
{
	size_t n;

	snprintf(buf, len, "%.3f", v);
	n = strlen(buf);
	while (n > 2 && buf[n - 1] == '0' && buf[n - 2] != '.')
		buf[--n] = '\0';
}

static void
report_json_trimmed(FILE *out, double v)
{
	char buf[64];

	if (!isfinite(v)) {
		fputs("null", out);
		return;
	}
	report_trimmed(buf, sizeof(buf), v);
	fputs(buf, out);
}

static void
report_json_time(FILE *out, const struct timespec *ts)
{
	char buf[REPORT_TIME_MAX];

	if (!report_time_set(ts)) {
		fputs("null", out);
		return;
	}
	fprintf(out, "\"%s\"", ntime_iso8601(ts, buf, sizeof(buf)));
}

static void
report_json_addr(FILE *out, const struct addr *a)
{
	char buf[ADDR_STRLEN];

	if (!addr_is_set(a)) {
		fputs("null", out);
		return;
	}
	fprintf(out, "\"%s\"", addr_ntop(a, buf, sizeof(buf)));
}

/* The name shown for an address, or NULL: none known, or -n. */
static const char *
report_name(const struct model *m, const struct options *o,
    const struct addr *a)
{
	if (o->no_dns || !addr_is_set(a))
		return NULL;
	return model_name(m, a);
}

static void
report_json_hop(FILE *out, const struct model *m, const struct options *o,
    const struct trace *t, const struct hop *h, enum diag_kind kind)
{
	const struct stats *st = &h->st;
	const struct responder *r;
	bool none = st->received == 0;
	unsigned i;

	fprintf(out, "{\"ttl\": %d, \"hosts\": [", h->ttl);
	for (i = 0; i < h->nresp; i++) {
		r = &h->resp[i];
		fputs(i > 0 ? ", {\"address\": " : "{\"address\": ", out);
		report_json_addr(out, &r->addr);
		fputs(", \"name\": ", out);
		report_json_string(out, report_name(m, o, &r->addr));
		fputs(", \"asn\": ", out);
		report_json_string(out, model_asn(m, &r->addr));
		fputc('}', out);
	}
	fprintf(out, "], \"sent\": %" PRIu64 ", \"received\": %" PRIu64
	    ", \"loss_pct\": ", st->sent, st->received);
	report_json_trimmed(out, stats_loss_pct(st));
	fputs(", \"last_ms\": ", out);
	report_json_ms(out, none ? NAN : st->last);
	fputs(", \"avg_ms\": ", out);
	report_json_ms(out, stats_avg(st));
	fputs(", \"best_ms\": ", out);
	report_json_ms(out, none ? NAN : st->best);
	fputs(", \"worst_ms\": ", out);
	report_json_ms(out, none ? NAN : st->worst);
	fputs(", \"stdev_ms\": ", out);
	report_json_ms(out, stats_stdev(st));
	fputs(", \"gmean_ms\": ", out);
	report_json_ms(out, stats_gmean(st));
	fputs(", \"jitter_ms\": ", out);
	report_json_ms(out, none ? NAN : st->jitter);
	fputs(", \"jitter_avg_ms\": ", out);
	report_json_ms(out, stats_jitter_avg(st));
	fputs(", \"jitter_max_ms\": ", out);
	report_json_ms(out, none ? NAN : st->jitter_max);
	fputs(", \"jitter_int_ms\": ", out);
	report_json_ms(out, none ? NAN : st->jitter_int);
	fputs(", \"p50_ms\": ", out);
	report_json_ms(out, stats_window_percentile(&h->win, 50));
	fputs(", \"p90_ms\": ", out);
	report_json_ms(out, stats_window_percentile(&h->win, 90));
	fputs(", \"p95_ms\": ", out);
	report_json_ms(out, stats_window_percentile(&h->win, 95));
	fputs(", \"p99_ms\": ", out);
	report_json_ms(out, stats_window_percentile(&h->win, 99));
	fputs(", \"mpls\": [", out);
	if (h->nresp > 0) {
		r = &h->resp[0];
		for (i = 0; i < r->n_mpls && i < PKT_MAX_MPLS; i++)
			fprintf(out, "%s{\"label\": %" PRIu32 ", \"tc\": %u, "
			    "\"s\": %u, \"ttl\": %u}", i > 0 ? ", " : "",
			    r->mpls[i].label, (unsigned)r->mpls[i].tc,
			    (unsigned)r->mpls[i].s, (unsigned)r->mpls[i].ttl);
	}
	fputs("], \"unreachable\": ", out);
	report_json_string(out, report_unreach(t, h));
	/* The loss diagnosis (diag.h) and, for a rate limiter, its evidence. */
	fputs(", \"loss_kind\": ", out);
	report_json_string(out, diag_kind_name(kind));
	fputs(", \"reply_rate_per_s\": ", out);
	report_json_ms(out, kind == DIAG_RATE_LIMIT ? diag_hop_reply_rate(h) :
	    NAN);
	fputc('}', out);
}

/* What the event log calls each kind of event (doc/formats.md). */
static const char *
report_event_name(enum model_event_kind k)
{
	switch (k) {
	case MODEL_EV_RESPONDER:
		return "new_responder";
	case MODEL_EV_DEST_TTL:
		return "destination_ttl";
	case MODEL_EV_BURST_START:
		return "burst_start";
	case MODEL_EV_BURST_END:
		return "burst_end";
	case MODEL_EV_UNREACH:
		return "unreachable";
	case MODEL_EV_SEND_ERROR:
		return "send_error";
	case MODEL_EV_SEND_OK:
		return "send_ok";
	default:
		return "unknown";
	}
}

/* Writes a member's separator and key: compact for --stream lines. */
static void
report_json_key(FILE *out, bool compact, const char *key)
{
	fprintf(out, compact ? ",\"%s\":" : ", \"%s\": ", key);
}

/* The members of one event after "time"; shared by JSON and --stream. */
static void
report_json_event_fields(FILE *out, const struct trace *t,
    const struct model_event *e, bool compact)
{
	int family;

	report_json_key(out, compact, "event");
	fprintf(out, "\"%s\"", report_event_name(e->kind));
	report_json_key(out, compact, "ttl");
	if (e->ttl > 0)
		fprintf(out, "%d", e->ttl);
	else
		fputs("null", out);
	switch (e->kind) {
	case MODEL_EV_RESPONDER:
		report_json_key(out, compact, "old");
		report_json_addr(out, &e->old_addr);
		report_json_key(out, compact, "new");
		report_json_addr(out, &e->new_addr);
		break;
	case MODEL_EV_DEST_TTL:
		report_json_key(out, compact, "old_ttl");
		fprintf(out, "%d", e->old_ttl);
		report_json_key(out, compact, "new_ttl");
		fprintf(out, "%d", e->new_ttl);
		break;
	case MODEL_EV_BURST_START:
	case MODEL_EV_BURST_END:
		report_json_key(out, compact, "loss_pct");
		report_json_trimmed(out, e->loss_pct);
		break;
	case MODEL_EV_UNREACH:
		family = e->new_addr.family != 0 ? e->new_addr.family :
		    t->family;
		report_json_key(out, compact, "from");
		report_json_addr(out, &e->new_addr);
		report_json_key(out, compact, "unreachable");
		report_json_string(out, e->code >= 0 && e->code <= 255 ?
		    pkt_unreach_name(family, (uint8_t)e->code) : NULL);
		break;
	case MODEL_EV_SEND_ERROR:
		report_json_key(out, compact, "error");
		report_json_string(out, strerror(e->code));
		break;
	default:
		break;
	}
}

static void
report_json_events(FILE *out, const struct model *m, size_t idx)
{
	const struct model_event *e;
	char when[REPORT_TIME_MAX];
	uint64_t seq;
	bool first = true;

	fputs(",\n     \"events\": [", out);
	for (seq = model_event_first(m); seq < model_event_end(m); seq++) {
		e = model_event_get(m, seq);
		if (e == NULL || e->trace != idx)
			continue;
		fprintf(out, "%s{\"time\": \"%s\"", first ? "\n      " :
		    ",\n      ", ntime_iso8601(&e->when, when, sizeof(when)));
		report_json_event_fields(out, &m->traces[idx], e, false);
		fputc('}', out);
		first = false;
	}
	fputs(first ? "]" : "\n     ]", out);
}

static void
report_json_trace(FILE *out, const struct model *m, const struct options *o,
    size_t idx)
{
	const struct trace *t = &m->traces[idx];
	int ttl, last = model_trace_last_ttl(t);
	const struct hop *h;
	bool first = true;
	enum diag_kind kind[256];
	struct diag_summary sum;
	size_t nk = diag_trace(t, kind, 256, &sum);

	fputs("    {\"target\": ", out);
	report_json_string(out, t->target);
	fputs(", \"address\": ", out);
	report_json_addr(out, &t->dst);
	fprintf(out, ", \"family\": %d, \"protocol\": \"%s\", \"port\": ",
	    report_family_number(t), report_proto(t));
	if (t->proto == PROTO_ICMP)
		fputs("null", out);
	else
		fprintf(out, "%u", (unsigned)t->port);
	fprintf(out, ", \"reached\": %s,\n     \"hops\": [",
	    t->reached ? "true" : "false");
	for (ttl = t->first_ttl; ttl <= last; ttl++) {
		h = model_hop_const(t, ttl);
		if (h == NULL)
			break;
		fputs(first ? "\n      " : ",\n      ", out);
		report_json_hop(out, m, o, t, h,
		    (size_t)(ttl - t->first_ttl) < nk ?
		    kind[ttl - t->first_ttl] : DIAG_NONE);
		first = false;
	}
	fputs(first ? "]" : "\n     ]", out);
	report_json_events(out, m, idx);
	/* Only a trace that could not run carries "error". */
	if (t->error[0] != '\0') {
		fputs(", \"error\": ", out);
		report_json_string(out, t->error);
	}
	fputc('}', out);
}

int
report_json(FILE *out, const struct model *m, const struct options *o)
{
	double interval = m->interval;
	size_t i;

	o = report_opts(o);
	if (!(interval > 0))
		interval = o->interval;
	fprintf(out, "{\n  \"ntrace\": {\"version\": \"%s\", \"started\": ",
	    PACKAGE_VERSION);
	report_json_time(out, &m->started);
	fputs(", \"finished\": ", out);
	report_json_time(out, &m->finished);
	fprintf(out, ", \"cycles\": %" PRIu64 ", \"interval_s\": ",
	    report_cycles(m));
	report_json_trimmed(out, interval);
	fputs("},\n  \"traces\": [", out);
	for (i = 0; i < m->ntraces; i++) {
		fputs(i > 0 ? ",\n" : "\n", out);
		report_json_trace(out, m, o, i);
	}
	fputs(m->ntraces > 0 ? "\n  ]" : "]", out);
	/* Targets with several traces: a member after "traces" (formats.md). */
	compare_write_json(out, m);
	fputs("\n}\n", out);
	fflush(out);
	return ferror(out) ? -1 : 0;
}

/* The text report's host column: "???", address, name or "name (addr)". */
static void
report_label(const struct model *m, const struct options *o,
    const struct addr *a, char *buf, size_t len)
{
	char ip[ADDR_STRLEN], name[REPORT_NAME_MAX], asn[24], as[32];
	const char *raw;

	as[0] = '\0';
	if (o->aslookup) {
		/* -y N picks mtr's AS field; -z alone is the AS number. */
		raw = !addr_is_set(a) ? NULL : o->ipinfo > 0 ?
		    model_asn_field(m, a, o->ipinfo) : model_asn(m, a);
		if (raw != NULL)
			sanitize_text(asn, sizeof(asn), raw, strlen(raw));
		else
			snprintf(asn, sizeof(asn), "AS???");
		/* mtr -z puts the AS before the host, padded to line up. */
		snprintf(as, sizeof(as), "%-8s ", asn);
	}
	if (!addr_is_set(a)) {
		snprintf(buf, len, "%s???", as);
		return;
	}
	addr_ntop(a, ip, sizeof(ip));
	raw = report_name(m, o, a);
	if (raw == NULL) {
		snprintf(buf, len, "%s%s", as, ip);
		return;
	}
	sanitize_text(name, sizeof(name), raw, strlen(raw));
	if (o->show_ips)
		snprintf(buf, len, "%s%s (%s)", as, name, ip);
	else
		snprintf(buf, len, "%s%s", as, name);
}

/* Writes s cut to at most cols characters and padded to exactly cols. */
static void
report_padded(FILE *out, const char *s, size_t cols)
{
	size_t n = sanitize_prefix(s, cols), w;

	fwrite(s, 1, n, out);
	for (w = sanitize_width(s); w < cols; w++)
		fputc(' ', out);
}

static const char *
report_order(const struct options *o)
{
	return o->order[0] != '\0' ? o->order : REPORT_DEFAULT_ORDER;
}

static void
report_text_header(FILE *out, const char *host, const char *order,
    size_t column)
{
	const struct field *f;
	const char *p;

	fputs("HOST: ", out);
	report_padded(out, host, column - REPORT_HEADER_PREFIX);
	for (p = order; *p != '\0'; p++) {
		f = fields_find(*p);
		if (f != NULL)
			fprintf(out, "%*s", f->width, f->header);
		else if (*p == ' ')
			fputc(' ', out);
	}
	fputc('\n', out);
}

/* One value as mtr prints it: a leading space, then the number; no
 * value (NAN) prints as 0, as mtr shows a silent hop. */
static void
report_text_value(FILE *out, const struct field *f, const struct hop *h)
{
	double v = fields_value(f, &h->st, &h->win);
	int w = f->width > 1 ? f->width - 1 : 1;

	if (!isfinite(v))
		v = 0;
	if (f->letter == 'L')
		fprintf(out, " %*.*f%%", w > 1 ? w - 1 : 1, f->decimals, v);
	else if (f->is_count)
		fprintf(out, " %*.0f", w, v);
	else
		fprintf(out, " %*.*f", w, f->decimals, v);
}

static void
report_text_mpls(FILE *out, const struct responder *r)
{
	unsigned i;

	for (i = 0; i < r->n_mpls && i < PKT_MAX_MPLS; i++)
		fprintf(out, "       [MPLS: Lbl %" PRIu32 " TC %u S %u TTL %u]\n",
		    r->mpls[i].label, (unsigned)r->mpls[i].tc,
		    (unsigned)r->mpls[i].s, (unsigned)r->mpls[i].ttl);
}

static void
report_text_hop(FILE *out, const struct model *m, const struct options *o,
    const struct hop *h, const char *order, size_t column)
{
	char label[REPORT_LABEL_MAX];
	const struct field *f;
	const struct addr *a = h->nresp > 0 ? &h->resp[0].addr : NULL;
	struct addr none;
	const char *p;
	unsigned i;

	memset(&none, 0, sizeof(none));
	report_label(m, o, a != NULL ? a : &none, label, sizeof(label));
	/* traceroute's flag after the host: !H, !N, !X, ... */
	if (a != NULL && h->unreach_code >= 0 && h->unreach_code <= 255) {
		const char *flag = pkt_unreach_flag(a->family, (uint8_t)h->unreach_code);
		size_t len = strlen(label);

		if (flag != NULL && *flag != '\0' && len + strlen(flag) + 2 < sizeof(label))
			snprintf(label + len, sizeof(label) - len, " %s", flag);
	}
	fprintf(out, " %2d.|-- ", h->ttl);
	report_padded(out, label, column - REPORT_ROW_PREFIX);
	for (p = order; *p != '\0'; p++) {
		f = fields_find(*p);
		if (f != NULL)
			report_text_value(out, f, h);
		else if (*p == ' ')
			fputc(' ', out);
	}
	fputc('\n', out);
	if (o->mpls && h->nresp > 0)
		report_text_mpls(out, &h->resp[0]);
	/* Other ECMP responders follow on their own lines, as in mtr. */
	for (i = 1; i < h->nresp; i++) {
		report_label(m, o, &h->resp[i].addr, label, sizeof(label));
		fprintf(out, "%s%s\n", i == 1 ? "    |  `|-- " : "    |   |-- ",
		    label);
		if (o->mpls)
			report_text_mpls(out, &h->resp[i]);
	}
}

/* The column where the fields start: mtr's 33, or wider with -w. */
static size_t
report_text_column(const struct model *m, const struct options *o,
    const struct trace *t, const char *host)
{
	char label[REPORT_LABEL_MAX];
	const struct hop *h;
	size_t widest, w;
	int ttl, last = model_trace_last_ttl(t);

	if (!o->wide)
		return REPORT_HOST_COLUMN;
	widest = sanitize_width(host);
	for (ttl = t->first_ttl; ttl <= last; ttl++) {
		h = model_hop_const(t, ttl);
		if (h == NULL || h->nresp == 0)
			continue;
		report_label(m, o, &h->resp[0].addr, label, sizeof(label));
		w = sanitize_width(label);
		if (w > widest)
			widest = w;
	}
	/* Each field starts with its own space, so nothing is added here. */
	return REPORT_ROW_PREFIX + widest;
}

/* The address a diagnosis names for the hop at index i, or "???". */
static const char *
report_diag_addr(const struct trace *t, int i, char *buf, size_t len)
{
	const struct hop *h = model_hop_const(t, t->first_ttl + i);

	if (h == NULL || h->nresp == 0)
		return "???";
	return addr_ntop(&h->resp[0].addr, buf, len);
}

/* Diagnosis lines after a trace's hops, only when there is a finding. */
static void
report_text_diagnosis(FILE *out, const struct trace *t)
{
	enum diag_kind kind[256];
	struct diag_summary sum;
	const struct hop *h;
	char a[ADDR_STRLEN], b[ADDR_STRLEN], rate[48];
	size_t n = diag_trace(t, kind, 256, &sum), i;
	double r;

	for (i = 0; i < n; i++) {
		if (kind[i] != DIAG_RATE_LIMIT)
			continue;
		h = model_hop_const(t, t->first_ttl + (int)i);
		r = h != NULL ? diag_hop_reply_rate(h) : NAN;
		rate[0] = '\0';
		/* Rounded up: the cap is at most what was seen. */
		if (isfinite(r))
			snprintf(rate, sizeof(rate), " (answers \u2264 %.1f/s)",
			    ceil(r * 10) / 10);
		fprintf(out, "Diagnosis: hop %d (%s) rate-limits its replies%s; "
		    "later hops lose significantly less, so the path loses "
		    "nothing there\n", t->first_ttl + (int)i,
		    report_diag_addr(t, (int)i, a, sizeof(a)), rate);
	}
	if (sum.forwarding < 0)
		return;
	fprintf(out, "Diagnosis: loss starts at hop %d (%s) and carries to ",
	    t->first_ttl + sum.forwarding,
	    report_diag_addr(t, sum.forwarding, a, sizeof(a)));
	if (sum.reached)
		fputs("the destination", out);
	else
		fprintf(out, "the last answering hop %d (%s)",
		    t->first_ttl + sum.end, report_diag_addr(t, sum.end, b,
		    sizeof(b)));
	fprintf(out, ": %.0f%% \u00b1 %.0f%%\n", 100 * sum.end_loss,
	    100 * sum.end_margin);
}

static void
report_text_trace(FILE *out, const struct model *m, const struct options *o,
    size_t idx, const char *host)
{
	const struct trace *t = &m->traces[idx];
	const char *order = report_order(o);
	char target[REPORT_NAME_MAX], ip[ADDR_STRLEN];
	const struct hop *h;
	size_t column;
	int ttl, last = model_trace_last_ttl(t);

	if (m->ntraces > 1) {
		sanitize_text(target, sizeof(target), t->target,
		    strnlen(t->target, sizeof(t->target)));
		if (addr_is_set(&t->dst))
			addr_ntop(&t->dst, ip, sizeof(ip));
		else
			snprintf(ip, sizeof(ip), "???");
		if (idx > 0)
			fputc('\n', out);
		fprintf(out, "TRACE %zu: %s (%s) %s", idx + 1, target, ip,
		    report_proto(t));
		if (t->proto != PROTO_ICMP)
			fprintf(out, " port %u", (unsigned)t->port);
		fprintf(out, " IPv%d\n", report_family_number(t));
	}
	column = report_text_column(m, o, t, host);
	report_text_header(out, host, order, column);
	for (ttl = t->first_ttl; ttl <= last; ttl++) {
		h = model_hop_const(t, ttl);
		if (h == NULL)
			break;
		report_text_hop(out, m, o, h, order, column);
	}
	report_text_diagnosis(out, t);
}

int
report_text(FILE *out, const struct model *m, const struct options *o)
{
	char raw[REPORT_HOSTNAME_MAX], host[REPORT_HOSTNAME_MAX];
	char start[REPORT_TIME_MAX];
	struct timespec ts = m->started;
	struct tm tm;
	size_t i;

	o = report_opts(o);
	if (gethostname(raw, sizeof(raw)) != 0)
		snprintf(raw, sizeof(raw), "localhost");
	raw[sizeof(raw) - 1] = '\0';
	sanitize_text(host, sizeof(host), raw, strlen(raw));
	if (!report_time_set(&ts))
		clock_gettime(CLOCK_REALTIME, &ts);
	/* mtr's iso_time(): local time with the UTC offset. */
	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(start, sizeof(start), "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
		snprintf(start, sizeof(start), "?");
	fprintf(out, "Start: %s\n", start);
	for (i = 0; i < m->ntraces; i++)
		report_text_trace(out, m, o, i, host);
	/* Traces of one target side by side, after every trace's block. */
	compare_write_text(out, m);
	fflush(out);
	return ferror(out) ? -1 : 0;
}

/* Writes one CSV field, quoted per RFC 4180 when it needs to be. */
static void
report_csv_field(FILE *out, const char *s)
{
	const char *p;

	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

/* Sanitizes then writes untrusted text as a CSV field. */
static void
report_csv_text(FILE *out, const char *s, size_t maxlen)
{
	char buf[REPORT_NAME_MAX];

	if (s == NULL)
		return;
	sanitize_text(buf, sizeof(buf), s, strnlen(s, maxlen));
	report_csv_field(out, buf);
}

static void
report_csv_ms(FILE *out, double v)
{
	fputc(',', out);
	if (isfinite(v))
		fprintf(out, "%.3f", v);
}

static void
report_csv_prefix(FILE *out, const struct trace *t, int ttl)
{
	report_csv_text(out, t->target, sizeof(t->target));
	fprintf(out, ",%s,%d,", report_proto(t), report_family_number(t));
	if (t->proto != PROTO_ICMP)
		fprintf(out, "%u", (unsigned)t->port);
	fprintf(out, ",%d,", ttl);
}

static void
report_csv_host(FILE *out, const struct model *m, const struct options *o,
    const struct addr *a)
{
	char ip[ADDR_STRLEN];
	const char *asn = NULL;

	if (a != NULL && addr_is_set(a)) {
		fputs(addr_ntop(a, ip, sizeof(ip)), out);
		fputc(',', out);
		report_csv_text(out, report_name(m, o, a), REPORT_NAME_MAX);
		asn = model_asn(m, a);
	} else
		fputc(',', out);
	fputc(',', out);
	report_csv_text(out, asn, REPORT_NAME_MAX);
}

static void
report_csv_hop(FILE *out, const struct model *m, const struct options *o,
    const struct trace *t, const struct hop *h)
{
	const struct stats *st = &h->st;
	bool none = st->received == 0;
	char loss[64];
	const char *unreach;
	unsigned i;

	report_csv_prefix(out, t, h->ttl);
	report_csv_host(out, m, o, h->nresp > 0 ? &h->resp[0].addr : NULL);
	report_trimmed(loss, sizeof(loss), stats_loss_pct(st));
	fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%s", st->sent, st->received,
	    loss);
	report_csv_ms(out, none ? NAN : st->last);
	report_csv_ms(out, stats_avg(st));
	report_csv_ms(out, none ? NAN : st->best);
	report_csv_ms(out, none ? NAN : st->worst);
	report_csv_ms(out, stats_stdev(st));
	report_csv_ms(out, stats_gmean(st));
	report_csv_ms(out, none ? NAN : st->jitter);
	report_csv_ms(out, stats_jitter_avg(st));
	report_csv_ms(out, none ? NAN : st->jitter_max);
	report_csv_ms(out, none ? NAN : st->jitter_int);
	report_csv_ms(out, stats_window_percentile(&h->win, 50));
	report_csv_ms(out, stats_window_percentile(&h->win, 90));
	report_csv_ms(out, stats_window_percentile(&h->win, 95));
	report_csv_ms(out, stats_window_percentile(&h->win, 99));
	fputc(',', out);
	unreach = report_unreach(t, h);
	if (unreach != NULL)
		report_csv_field(out, unreach);
	fputc('\n', out);
	/* Other ECMP responders: same TTL, host columns only (formats.md). */
	for (i = 1; i < h->nresp; i++) {
		report_csv_prefix(out, t, h->ttl);
		report_csv_host(out, m, o, &h->resp[i].addr);
		fputs(",,,,,,,,,,,,,,,,,,\n", out);
	}
}

int
report_csv(FILE *out, const struct model *m, const struct options *o)
{
	const struct trace *t;
	const struct hop *h;
	size_t i;
	int ttl, last;

	o = report_opts(o);
	fputs("target,protocol,family,port,ttl,address,name,asn,sent,received,"
	    "loss_pct,last_ms,avg_ms,best_ms,worst_ms,stdev_ms,gmean_ms,"
	    "jitter_ms,jitter_avg_ms,jitter_max_ms,jitter_int_ms,p50_ms,"
	    "p90_ms,p95_ms,p99_ms,unreachable\n", out);
	for (i = 0; i < m->ntraces; i++) {
		t = &m->traces[i];
		last = model_trace_last_ttl(t);
		for (ttl = t->first_ttl; ttl <= last; ttl++) {
			h = model_hop_const(t, ttl);
			if (h == NULL)
				break;
			report_csv_hop(out, m, o, t, h);
		}
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}

/* What became of a probe, as the stream names it. */
static const char *
report_result(const struct engine_probe_result *r)
{
	const struct trace *t = r->trace;
	bool at_dst = t != NULL && addr_is_set(&r->from) &&
	    addr_equal(&r->from, &t->dst);

	switch (r->kind) {
	case PKT_NONE:
		return "timeout";
	case PKT_ECHO_REPLY:
	case PKT_TCP_SYNACK:
	case PKT_TCP_RST:
		return "reached";
	case PKT_UNREACH:
		/* A UDP probe ends with the destination's port unreachable. */
		return at_dst ? "reached" : "unreachable";
	default:
		return "reply";
	}
}

/* Writes the target and protocol members of a stream line. */
static void
report_stream_trace(FILE *out, const struct trace *t)
{
	char target[MODEL_TARGET_MAX + 1];

	if (t == NULL) {
		fputs("null,\"protocol\":null", out);
		return;
	}
	memcpy(target, t->target, sizeof(t->target));
	target[sizeof(target) - 1] = '\0';
	report_json_string(out, target);
	fprintf(out, ",\"protocol\":\"%s\"", report_proto(t));
}

/*
 * Event lines not yet written, oldest first. The cursor lives in the
 * model's event log (m->events is a pointer, so a const model still lets
 * the stream move it); events dropped from the ring before they could be
 * written are skipped.
 */
static void
report_stream_events(FILE *out, const struct model *m)
{
	struct model_events *l = m->events;
	const struct model_event *e;
	char when[REPORT_TIME_MAX];
	uint64_t seq;

	if (l == NULL)
		return;
	seq = l->streamed + 1;
	if (seq < model_event_first(m))
		seq = model_event_first(m);
	for (; seq < model_event_end(m); seq++) {
		e = model_event_get(m, seq);
		if (e == NULL || e->trace >= m->ntraces)
			continue;
		fprintf(out, "{\"type\":\"event\",\"time\":\"%s\",\"trace\":%zu,"
		    "\"target\":", ntime_iso8601(&e->when, when, sizeof(when)),
		    e->trace);
		report_stream_trace(out, &m->traces[e->trace]);
		report_json_event_fields(out, &m->traces[e->trace], e, true);
		fputs("}\n", out);
	}
	l->streamed = model_event_end(m) - 1;
}

int
report_stream_flush(FILE *out, const struct model *m)
{
	report_stream_events(out, m);
	if (fflush(out) == EOF || ferror(out))
		return -1;
	return 0;
}

int
report_stream_probe(FILE *out, const struct model *m,
    const struct engine_probe_result *r)
{
	const struct trace *t = r->trace;
	char when[REPORT_TIME_MAX];
	int family;

	/* Events the engine logged up to this probe come first. */
	if (m != NULL)
		report_stream_events(out, m);
	ntime_iso8601(&r->when, when, sizeof(when));
	fprintf(out, "{\"type\":\"probe\",\"time\":\"%s\",\"trace\":%zu,"
	    "\"target\":", when, r->trace_index);
	report_stream_trace(out, t);
	fprintf(out, ",\"ttl\":%d,\"round\":%" PRIu64 ",\"seq\":%u,"
	    "\"result\":\"%s\",\"from\":", r->ttl, r->round,
	    (unsigned)r->seq, report_result(r));
	if (r->kind != PKT_NONE)
		report_json_addr(out, &r->from);
	else
		fputs("null", out);
	fputs(",\"rtt_ms\":", out);
	report_json_ms(out, r->kind != PKT_NONE ? r->rtt_ms : NAN);
	fputs(",\"unreachable\":", out);
	family = r->from.family;
	if (family == 0 && t != NULL)
		family = t->family;
	report_json_string(out, r->kind == PKT_UNREACH ?
	    pkt_unreach_name(family, r->code) : NULL);
	fputs("}\n", out);
	fflush(out);
	return ferror(out) ? -1 : 0;
}
