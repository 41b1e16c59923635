/*
 * Command line: mtr's flags with mtr's meaning, new features as long
 * options. A small hand-written parser (no getopt) keeps this re-entrant:
 * no global state, no printing, no exit.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "fields.h"
#include "options.h"
#include "packet.h"

/* A host name is at most 253 characters in its text form (RFC 1035 2.3.4). */
#define OPTIONS_HOST_MAX 253
/* Bounds NTRACE_OPTIONS so a runaway variable cannot build a huge argv. */
#define OPTIONS_ENV_MAX_WORDS 256
/* How much of a bad value an error message repeats. */
#define OPTIONS_ECHO_MAX 48

enum opt_id {
	OPT_INET4,
	OPT_INET6,
	OPT_ICMP,
	OPT_UDP,
	OPT_TCP,
	OPT_PROTOCOL,
	OPT_PORT,
	OPT_FIRST_TTL,
	OPT_MAX_TTL,
	OPT_INTERVAL,
	OPT_CYCLES,
	OPT_CURSES,
	OPT_REPORT,
	OPT_REPORT_WIDE,
	OPT_JSON,
	OPT_CSV,
	OPT_STREAM,
	OPT_REPORT_ON_EXIT,
	OPT_NO_DNS,
	OPT_SHOW_IPS,
	OPT_PSIZE,
	OPT_TOS,
	OPT_MPLS,
	OPT_TIMEOUT,
	OPT_GRACE,
	OPT_ORDER,
	OPT_ASLOOKUP,
	OPT_IPINFO,
	OPT_ADDRESS,
	OPT_INTERFACE,
	OPT_MAX_INFLIGHT,
	OPT_RETRIES,
	OPT_VARY_FLOW,
	OPT_BURST_LOSS,
	OPT_BURST_WINDOW,
	OPT_UNPRIVILEGED,
	OPT_DNS_SERVER,
	OPT_VERSION,
	OPT_HELP,
};

struct opt_entry {
	enum opt_id id;
	char short_name;	/* 0 for long-only options */
	const char *long_name;
	bool has_arg;
};

/* Short letters and long names are mtr 0.95's (ui/mtr.c) where mtr has them. */
static const struct opt_entry opt_table[] = {
	{ OPT_INET4, '4', "inet", false },
	{ OPT_INET6, '6', "inet6", false },
	{ OPT_ICMP, 0, "icmp", false },
	{ OPT_UDP, 'u', "udp", false },
	{ OPT_TCP, 'T', "tcp", false },
	{ OPT_PROTOCOL, 0, "protocol", true },
	{ OPT_PORT, 'P', "port", true },
	{ OPT_FIRST_TTL, 'f', "first-ttl", true },
	{ OPT_MAX_TTL, 'm', "max-ttl", true },
	{ OPT_INTERVAL, 'i', "interval", true },
	{ OPT_CYCLES, 'c', "report-cycles", true },
	{ OPT_CURSES, 't', "curses", false },
	{ OPT_REPORT, 'r', "report", false },
	{ OPT_REPORT_WIDE, 'w', "report-wide", false },
	{ OPT_JSON, 'j', "json", false },
	{ OPT_CSV, 'C', "csv", false },
	{ OPT_STREAM, 0, "stream", false },
	{ OPT_REPORT_ON_EXIT, 0, "report-on-exit", false },
	{ OPT_NO_DNS, 'n', "no-dns", false },
	{ OPT_SHOW_IPS, 'b', "show-ips", false },
	{ OPT_PSIZE, 's', "psize", true },
	{ OPT_TOS, 'Q', "tos", true },
	{ OPT_MPLS, 'e', "mpls", false },
	{ OPT_TIMEOUT, 'Z', "timeout", true },
	{ OPT_GRACE, 'G', "gracetime", true },
	{ OPT_ORDER, 'o', "order", true },
	{ OPT_ASLOOKUP, 'z', "aslookup", false },
	{ OPT_IPINFO, 'y', "ipinfo", true },
	{ OPT_ADDRESS, 'a', "address", true },
	{ OPT_INTERFACE, 'I', "interface", true },
	{ OPT_MAX_INFLIGHT, 0, "max-inflight", true },
	{ OPT_RETRIES, 0, "retries", true },
	{ OPT_VARY_FLOW, 0, "vary-flow", false },
	{ OPT_BURST_LOSS, 0, "burst-loss", true },
	{ OPT_BURST_WINDOW, 0, "burst-window", true },
	{ OPT_UNPRIVILEGED, 0, "unprivileged", false },
	{ OPT_DNS_SERVER, 0, "dns-server", true },
	{ OPT_VERSION, 'v', "version", false },
	{ OPT_HELP, 'h', "help", false },
};
#define OPT_COUNT (sizeof(opt_table) / sizeof(opt_table[0]))

/* What one parse remembers beyond the struct, for checks made at the end. */
struct parse_state {
	const char *psize_arg;	/* the -s text, for the final range check */
	char *err;
	size_t errlen;
};

static const char usage_text[] =
"Usage: ntrace [options] host [host...]\n"
"\n"
"Probes:\n"
"  -4, --inet                 use IPv4 only\n"
"  -6, --inet6                use IPv6 only\n"
"      --icmp                 probe with ICMP echo requests (the default)\n"
"  -u, --udp                  probe with UDP datagrams\n"
"  -T, --tcp                  probe with TCP SYNs\n"
"      --protocol LIST        probe with each of icmp,udp,tcp in LIST\n"
"                             (--icmp, -u, -T and --protocol add up)\n"
"  -P, --port PORT            target port for UDP and TCP (1..65535)\n"
"  -f, --first-ttl N          first hop to probe (1..255, default 1)\n"
"  -m, --max-ttl N            last hop to probe (1..255, default 30)\n"
"  -i, --interval SECONDS     time between rounds (0.01..3600, default 1)\n"
"  -s, --psize BYTES          probe size on the wire, IP header included\n"
"  -Q, --tos N                IP type of service / traffic class (0..255)\n"
"  -Z, --timeout SECONDS      how long a probe waits for its reply\n"
"                             (up to 60, default 2)\n"
"  -G, --gracetime SECONDS    how long a report waits for late replies\n"
"                             (0..60, default 0)\n"
"      --max-inflight N       probes in flight per target (1..1024, default 64)\n"
"      --retries N            report: resend to silent hops (0..10, default 2)\n"
"      --vary-flow            change the flow identity every round\n"
"      --unprivileged         use unprivileged sockets even when raw ones work\n"
"  -a, --address ADDR         send from the local address ADDR\n"
"  -I, --interface NAME       send through the network interface NAME\n"
"\n"
"Output:\n"
"  -t, --curses               interactive display (default on a terminal)\n"
"  -r, --report               text report when the cycles are done\n"
"  -w, --report-wide          text report that never truncates host names\n"
"  -c, --report-cycles N      rounds to run (1..2147483647, default 10)\n"
"  -j, --json                 JSON report\n"
"  -C, --csv                  CSV report\n"
"      --stream               JSON lines, one per event, while running\n"
"      --report-on-exit       interactive: print a text report on quitting\n"
"  -o, --order FIELDS         columns by letter, e.g. LSNABWV (see ntrace(1))\n"
"  -e, --mpls                 show MPLS labels from ICMP extensions\n"
"      --burst-loss PCT       log a loss burst when a hop loses PCT% of its\n"
"                             last --burst-window probes (0..100, 0 off,\n"
"                             default 50); it ends at half that\n"
"      --burst-window N       probes a burst is judged on (2..128, default 10)\n"
"\n"
"Names:\n"
"  -n, --no-dns               show addresses, do not look up host names\n"
"  -b, --show-ips             show both host names and addresses\n"
"  -z, --aslookup             look up and show AS numbers\n"
"  -y, --ipinfo N             AS information to show: 0 AS number,\n"
"                             1 prefix, 2 country, 3 registry, 4 date\n"
"      --dns-server ADDR[:PORT]  ask this DNS server (repeatable, up to 8;\n"
"                             IPv6 with a port as [ADDR]:PORT)\n"
"\n"
"  -h, --help                 show this help and exit\n"
"  -v, --version              show the version and exit\n"
"\n"
"Options may also come from NTRACE_OPTIONS. See ntrace(1) for details.\n";

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats an error; tolerates a missing buffer so callers need not care. */
static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * Copies a user-supplied value for an error message, shortened, with every
 * byte outside printable ASCII shown as '?' so no escape sequence reaches
 * the terminal.
 */
static const char *
echo_arg(const char *s, char *buf, size_t len)
{
	size_t i, n;
	size_t limit = len - 1;
	bool cut = false;

	n = strlen(s);
	if (limit > OPTIONS_ECHO_MAX)
		limit = OPTIONS_ECHO_MAX;
	if (n > limit) {
		n = limit - 3;
		cut = true;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (cut) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* Writes "-m/--max-ttl" or "--icmp", the way every message names options. */
static const char *
opt_label(const struct opt_entry *e, char *buf, size_t len)
{
	if (e->short_name != 0)
		snprintf(buf, len, "-%c/--%s", e->short_name, e->long_name);
	else
		snprintf(buf, len, "--%s", e->long_name);
	return buf;
}

/*
 * Parses a decimal integer in [min, max]. Rejects what strtol would
 * quietly accept: leading blanks, an empty string, trailing junk ("0x10"
 * stops at the x), overflow.
 */
static enum options_result
parse_long(const struct opt_entry *e, const char *s, long min, long max,
    long *out, char *err, size_t errlen)
{
	char label[48], echo[OPTIONS_ECHO_MAX + 1];
	char *end;
	long v;
	const char *digits = s;

	if (*digits == '-' || *digits == '+')
		digits++;
	if (*digits < '0' || *digits > '9') {
		seterr(err, errlen, "%s: '%s' is not a whole number (%ld..%ld)",
		    opt_label(e, label, sizeof label),
		    echo_arg(s, echo, sizeof echo), min, max);
		return OPTIONS_ERROR;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0') {
		seterr(err, errlen, "%s: '%s' is not a whole number (%ld..%ld)",
		    opt_label(e, label, sizeof label),
		    echo_arg(s, echo, sizeof echo), min, max);
		return OPTIONS_ERROR;
	}
	if (errno == ERANGE || v < min || v > max) {
		seterr(err, errlen, "%s: '%s' is out of range (%ld..%ld)",
		    opt_label(e, label, sizeof label),
		    echo_arg(s, echo, sizeof echo), min, max);
		return OPTIONS_ERROR;
	}
	*out = v;
	return OPTIONS_OK;
}

/*
 * Parses seconds as a plain decimal number in [min, max], or (min, max] if
 * min_open. Only digits, one point and an exponent get through to strtod,
 * so "nan", "inf", hex floats and blanks are refused. strtod reads the
 * decimal point from LC_NUMERIC: parse before setlocale(LC_ALL, "").
 */
static enum options_result
parse_seconds(const struct opt_entry *e, const char *s, double min,
    bool min_open, double max, double *out, char *err, size_t errlen)
{
	char label[48], echo[OPTIONS_ECHO_MAX + 1], range[48];
	char *end;
	double v;
	const char *p = s;

	if (min_open)
		snprintf(range, sizeof range, "above %g, at most %g", min, max);
	else
		snprintf(range, sizeof range, "%g..%g", min, max);
	if (*p == '-' || *p == '+')
		p++;
	if (!((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' &&
	    p[1] <= '9')) || strspn(p, "0123456789.eE+-") != strlen(p)) {
		seterr(err, errlen, "%s: '%s' is not a number of seconds (%s)",
		    opt_label(e, label, sizeof label),
		    echo_arg(s, echo, sizeof echo), range);
		return OPTIONS_ERROR;
	}
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0') {
		seterr(err, errlen, "%s: '%s' is not a number of seconds (%s)",
		    opt_label(e, label, sizeof label),
		    echo_arg(s, echo, sizeof echo), range);
		return OPTIONS_ERROR;
	}
	if (errno == ERANGE || !isfinite(v) || v < min || (min_open &&
	    v <= min) || v > max) {
		seterr(err, errlen, "%s: '%s' is out of range (%s)",
		    opt_label(e, label, sizeof label),
		    echo_arg(s, echo, sizeof echo), range);
		return OPTIONS_ERROR;
	}
	*out = v;
	return OPTIONS_OK;
}

/* Adds each protocol of a comma-separated list such as "icmp,tcp". */
static enum options_result
parse_protocols(struct options *o, const char *list, char *err, size_t errlen)
{
	char name[16], echo[OPTIONS_ECHO_MAX + 1];
	const char *p = list, *comma;
	size_t n;
	int proto;

	for (;;) {
		comma = strchr(p, ',');
		n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (n == 0) {
			seterr(err, errlen, "--protocol: empty protocol name "
			    "in '%s' (use icmp, udp, tcp, comma separated)",
			    echo_arg(list, echo, sizeof echo));
			return OPTIONS_ERROR;
		}
		proto = -1;
		if (n < sizeof name) {
			memcpy(name, p, n);
			name[n] = '\0';
			proto = pkt_proto_from_name(name);
		}
		if (proto < 0 || proto >= PROTO_COUNT) {
			if (n >= sizeof name)
				n = sizeof name - 1;
			memcpy(name, p, n);
			name[n] = '\0';
			seterr(err, errlen, "--protocol: unknown protocol '%s' "
			    "(use icmp, udp, tcp)",
			    echo_arg(name, echo, sizeof echo));
			return OPTIONS_ERROR;
		}
		o->protocols |= 1u << proto;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return OPTIONS_OK;
}

/* Checks ADDR, ADDR:PORT (IPv4), ADDR or [ADDR]:PORT (IPv6) for c-ares. */
static enum options_result
check_dns_server(const char *s, char *err, size_t errlen)
{
	static const struct opt_entry port_entry = {
		OPT_DNS_SERVER, 0, "dns-server", true
	};
	char echo[OPTIONS_ECHO_MAX + 1];
	const char *port;
	struct addr a;
	long v;

	if (addr_split_hostport(s, &a, &port) == -1)
		goto bad;
	if (port != NULL)
		return parse_long(&port_entry, port, 1, 65535, &v, err, errlen);
	return OPTIONS_OK;
bad:
	seterr(err, errlen, "--dns-server: '%s' is not ADDR, ADDR:PORT or "
	    "[IPV6]:PORT with a numeric address",
	    echo_arg(s, echo, sizeof echo));
	return OPTIONS_ERROR;
}

/* Adds one host argument; the resolver validates names further later. */
static enum options_result
add_target(struct options *o, const char *host, char *err, size_t errlen)
{
	char echo[OPTIONS_ECHO_MAX + 1];
	const char *p;

	if (host[0] == '\0') {
		seterr(err, errlen, "empty host name");
		return OPTIONS_ERROR;
	}
	if (strlen(host) > OPTIONS_HOST_MAX) {
		seterr(err, errlen, "'%s' is not a valid host name (longer "
		    "than %d characters)", echo_arg(host, echo, sizeof echo),
		    OPTIONS_HOST_MAX);
		return OPTIONS_ERROR;
	}
	for (p = host; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			seterr(err, errlen, "'%s' is not a valid host name "
			    "(control character)",
			    echo_arg(host, echo, sizeof echo));
			return OPTIONS_ERROR;
		}
	}
	if (o->n_targets >= OPTIONS_MAX_TARGETS) {
		seterr(err, errlen, "too many hosts (at most %d)",
		    OPTIONS_MAX_TARGETS);
		return OPTIONS_ERROR;
	}
	o->targets[o->n_targets++] = host;
	return OPTIONS_OK;
}

/* Sets the address family, refusing -4 together with -6. */
static enum options_result
set_family(struct options *o, int family, char *err, size_t errlen)
{
	if (o->family != 0 && o->family != family) {
		seterr(err, errlen, "-4 and -6 cannot be used together");
		return OPTIONS_ERROR;
	}
	o->family = family;
	return OPTIONS_OK;
}

/* Applies one option; value is its argument or NULL. */
static enum options_result
apply(struct options *o, struct parse_state *st, const struct opt_entry *e,
    const char *value)
{
	char label[48], echo[OPTIONS_ECHO_MAX + 1], sub[128];
	char *err = st->err;
	size_t errlen = st->errlen;
	enum options_result r = OPTIONS_OK;
	struct addr a;
	long v = 0;
	size_t n;

	switch (e->id) {
	case OPT_INET4:
		return set_family(o, AF_INET, err, errlen);
	case OPT_INET6:
		return set_family(o, AF_INET6, err, errlen);
	case OPT_ICMP:
		o->protocols |= 1u << PROTO_ICMP;
		break;
	case OPT_UDP:
		o->protocols |= 1u << PROTO_UDP;
		break;
	case OPT_TCP:
		o->protocols |= 1u << PROTO_TCP;
		break;
	case OPT_PROTOCOL:
		return parse_protocols(o, value, err, errlen);
	case OPT_PORT:
		r = parse_long(e, value, 1, 65535, &v, err, errlen);
		o->port = (uint16_t)v;
		break;
	case OPT_FIRST_TTL:
		r = parse_long(e, value, 1, 255, &v, err, errlen);
		o->first_ttl = (int)v;
		break;
	case OPT_MAX_TTL:
		r = parse_long(e, value, 1, 255, &v, err, errlen);
		o->max_ttl = (int)v;
		break;
	case OPT_INTERVAL:
		/* mtr refuses < 1 s to non-root; parallel rounds make 10 ms safe. */
		return parse_seconds(e, value, 0.01, false, 3600.0,
		    &o->interval, err, errlen);
	case OPT_CYCLES:
		r = parse_long(e, value, 1, INT_MAX, &v, err, errlen);
		o->cycles = v;
		o->cycles_set = true;
		break;
	case OPT_CURSES:
		o->mode = MODE_INTERACTIVE;
		break;
	case OPT_REPORT:
		o->mode = MODE_REPORT;
		break;
	case OPT_REPORT_WIDE:
		o->mode = MODE_REPORT;
		o->wide = true;
		break;
	case OPT_JSON:
		o->mode = MODE_JSON;
		break;
	case OPT_CSV:
		o->mode = MODE_CSV;
		break;
	case OPT_STREAM:
		o->mode = MODE_STREAM;
		break;
	case OPT_REPORT_ON_EXIT:
		o->report_on_exit = true;
		break;
	case OPT_NO_DNS:
		o->no_dns = true;
		break;
	case OPT_SHOW_IPS:
		o->show_ips = true;
		break;
	case OPT_PSIZE:
		/* mtr reads a negative size as "random sizes up to -N". */
		if (value[0] == '-') {
			seterr(err, errlen, "%s: '%s': negative sizes (mtr's "
			    "random sizes) are not supported; give a size in "
			    "bytes up to %d", opt_label(e, label, sizeof label),
			    echo_arg(value, echo, sizeof echo), PKT_MAX_SIZE);
			return OPTIONS_ERROR;
		}
		/* The lower bound depends on -4/-6/-u/-T: checked at the end. */
		r = parse_long(e, value, 1, PKT_MAX_SIZE, &v, err, errlen);
		o->psize = (int)v;
		st->psize_arg = value;
		break;
	case OPT_TOS:
		r = parse_long(e, value, 0, 255, &v, err, errlen);
		o->tos = (int)v;
		break;
	case OPT_MPLS:
		o->mpls = true;
		break;
	case OPT_TIMEOUT:
		return parse_seconds(e, value, 0.0, true, 60.0, &o->timeout,
		    err, errlen);
	case OPT_GRACE:
		return parse_seconds(e, value, 0.0, false, 60.0, &o->grace,
		    err, errlen);
	case OPT_ORDER:
		n = strlen(value);
		if (n == 0 || n > OPTIONS_ORDER_MAX) {
			seterr(err, errlen, "%s: '%s' must have 1 to %d field "
			    "letters", opt_label(e, label, sizeof label),
			    echo_arg(value, echo, sizeof echo),
			    OPTIONS_ORDER_MAX);
			return OPTIONS_ERROR;
		}
		sub[0] = '\0';
		if (fields_check_order(value, sub, sizeof sub) != 0) {
			seterr(err, errlen, "%s: %s",
			    opt_label(e, label, sizeof label), sub);
			return OPTIONS_ERROR;
		}
		memcpy(o->order, value, n + 1);
		break;
	case OPT_ASLOOKUP:
		/* As in mtr, -z is -y 0: show the AS number. */
		o->aslookup = true;
		o->ipinfo = 0;
		break;
	case OPT_IPINFO:
		r = parse_long(e, value, 0, 4, &v, err, errlen);
		o->ipinfo = (int)v;
		o->aslookup = true;
		break;
	case OPT_ADDRESS:
		if (addr_pton(value, &a) != 0) {
			seterr(err, errlen, "%s: '%s' is not a numeric IPv4 or "
			    "IPv6 address", opt_label(e, label, sizeof label),
			    echo_arg(value, echo, sizeof echo));
			return OPTIONS_ERROR;
		}
		o->src_addr = value;
		break;
	case OPT_INTERFACE:
		n = strlen(value);
		if (n == 0 || n >= IFNAMSIZ) {
			seterr(err, errlen, "%s: '%s' is not an interface name "
			    "(1 to %d characters)",
			    opt_label(e, label, sizeof label),
			    echo_arg(value, echo, sizeof echo), IFNAMSIZ - 1);
			return OPTIONS_ERROR;
		}
		/* The name reaches socket error messages verbatim. */
		for (n = 0; value[n] != '\0'; n++) {
			if ((unsigned char)value[n] <= 0x20 ||
			    (unsigned char)value[n] >= 0x7f || value[n] == '/') {
				seterr(err, errlen, "%s: '%s' is not an "
				    "interface name (printable ASCII, no blank "
				    "or '/')", opt_label(e, label, sizeof label),
				    echo_arg(value, echo, sizeof echo));
				return OPTIONS_ERROR;
			}
		}
		o->interface = value;
		break;
	case OPT_MAX_INFLIGHT:
		r = parse_long(e, value, 1, 1024, &v, err, errlen);
		o->max_inflight = (int)v;
		break;
	case OPT_RETRIES:
		r = parse_long(e, value, 0, 10, &v, err, errlen);
		o->retries = (int)v;
		break;
	case OPT_VARY_FLOW:
		o->vary_flow = true;
		break;
	case OPT_BURST_LOSS:
		r = parse_long(e, value, 0, 100, &v, err, errlen);
		o->burst_loss = (int)v;
		break;
	case OPT_BURST_WINDOW:
		r = parse_long(e, value, 2, OPTIONS_BURST_WINDOW_MAX, &v, err,
		    errlen);
		o->burst_window = (int)v;
		break;
	case OPT_UNPRIVILEGED:
		o->unprivileged = true;
		break;
	case OPT_DNS_SERVER:
		if (o->n_dns_servers >= OPTIONS_MAX_DNS) {
			seterr(err, errlen, "--dns-server: at most %d servers",
			    OPTIONS_MAX_DNS);
			return OPTIONS_ERROR;
		}
		if (check_dns_server(value, err, errlen) != OPTIONS_OK)
			return OPTIONS_ERROR;
		o->dns_servers[o->n_dns_servers++] = value;
		break;
	case OPT_VERSION:
		return OPTIONS_VERSION;
	case OPT_HELP:
		return OPTIONS_HELP;
	}
	return r;
}

/* Finds a long option by exact name or by unambiguous prefix, as GNU does. */
static const struct opt_entry *
find_long(const char *name, size_t len, char *err, size_t errlen)
{
	char echo[OPTIONS_ECHO_MAX + 1], buf[OPTIONS_ECHO_MAX + 1];
	const struct opt_entry *found = NULL;
	size_t i;
	int matches = 0;

	for (i = 0; len > 0 && i < OPT_COUNT; i++) {
		const char *ln = opt_table[i].long_name;

		if (strncmp(ln, name, len) != 0)
			continue;
		if (ln[len] == '\0')
			return &opt_table[i];
		found = &opt_table[i];
		matches++;
	}
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, name, len);
	buf[len] = '\0';
	if (matches == 1)
		return found;
	if (matches == 0)
		seterr(err, errlen, "unknown option '--%s' (try ntrace --help)",
		    echo_arg(buf, echo, sizeof echo));
	else
		seterr(err, errlen, "option '--%s' is ambiguous (try ntrace "
		    "--help)", echo_arg(buf, echo, sizeof echo));
	return NULL;
}

static const struct opt_entry *
find_short(char c)
{
	size_t i;

	for (i = 0; i < OPT_COUNT; i++) {
		if (opt_table[i].short_name == c)
			return &opt_table[i];
	}
	return NULL;
}

/* Cross-option checks that need every option seen first. */
static enum options_result
check_final(struct options *o, struct parse_state *st)
{
	char echo[OPTIONS_ECHO_MAX + 1];
	char *err = st->err;
	size_t errlen = st->errlen;
	struct addr a;
	size_t min = 0, m4, m6;
	int p;

	if (o->protocols == 0)
		o->protocols = 1u << PROTO_ICMP;
	if (o->max_ttl < o->first_ttl) {
		seterr(err, errlen, "max-ttl (%d) is below first-ttl (%d)",
		    o->max_ttl, o->first_ttl);
		return OPTIONS_ERROR;
	}
	if (o->port != 0 && o->protocols == 1u << PROTO_ICMP) {
		seterr(err, errlen, "--port applies to UDP and TCP probes, "
		    "not ICMP (add -u or -T)");
		return OPTIONS_ERROR;
	}
	if (o->src_addr != NULL && addr_pton(o->src_addr, &a) == 0 &&
	    o->family != 0 && a.family != o->family) {
		seterr(err, errlen, "-a/--address: '%s' is not an %s address, "
		    "but %s was given", echo_arg(o->src_addr, echo, sizeof echo),
		    o->family == AF_INET ? "IPv4" : "IPv6",
		    o->family == AF_INET ? "-4" : "-6");
		return OPTIONS_ERROR;
	}
	if (st->psize_arg != NULL) {
		/*
		 * The size must hold the largest header of every protocol in
		 * use; with no -4/-6 the family is not known yet, so accept
		 * what fits either and let the engine check once it is.
		 */
		for (p = 0; p < PROTO_COUNT; p++) {
			size_t need;

			if ((o->protocols & (1u << p)) == 0)
				continue;
			m4 = pkt_min_size(AF_INET, (enum proto)p);
			m6 = pkt_min_size(AF_INET6, (enum proto)p);
			if (o->family == AF_INET)
				need = m4;
			else if (o->family == AF_INET6)
				need = m6;
			else
				need = m4 < m6 ? m4 : m6;
			if (need > min)
				min = need;
		}
		if ((size_t)o->psize < min) {
			seterr(err, errlen, "-s/--psize: '%s' is out of range "
			    "(%zu..%d)", echo_arg(st->psize_arg, echo,
			    sizeof echo), min, PKT_MAX_SIZE);
			return OPTIONS_ERROR;
		}
	}
	if (o->n_targets == 0) {
		seterr(err, errlen, "no target host given (try ntrace --help)");
		return OPTIONS_ERROR;
	}
	return OPTIONS_OK;
}

/*
 * Timeout: mtr keeps a probe 10 s (-Z), which with parallel TTLs would hold
 * a report open long after the path is known; 2 s covers any terrestrial
 * or geostationary-satellite round trip (~600 ms) with room for slow ICMP
 * generation on routers, and -Z raises it. Grace: each probe already waits
 * its own timeout, so a report ends once every probe is answered or timed
 * out. Cycles: 10 is mtr's report default; interactive mode keeps the same
 * value here and main decides whether it runs forever.
 */
void
options_defaults(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->family = 0;
	o->protocols = 0;
	o->port = 0;
	o->first_ttl = 1;
	o->max_ttl = 30;
	o->interval = 1.0;
	o->cycles = 10;
	o->mode = MODE_AUTO;
	o->ipinfo = -1;
	o->psize = 0;
	o->tos = 0;
	o->timeout = 2.0;
	o->grace = 0.0;
	o->order[0] = '\0';
	o->max_inflight = 64;
	o->retries = 2;
	o->burst_loss = 50;
	o->burst_window = 10;
}

/*
 * GNU-style: options and hosts in any order, short options bundle (-rn,
 * -c5), long options take "--opt=value" or "--opt value", "--" ends options.
 */
enum options_result
options_parse(struct options *o, int argc, char **argv, char *err,
    size_t errlen)
{
	struct parse_state st = { NULL, err, errlen };
	char echo[OPTIONS_ECHO_MAX + 1], label[48];
	enum options_result r;
	const struct opt_entry *e;
	const char *arg, *value, *eq, *p;
	bool options_done = false;
	int i;

	seterr(err, errlen, "%s", "");
	for (i = 1; i < argc && argv[i] != NULL; i++) {
		arg = argv[i];
		if (options_done || arg[0] != '-' || arg[1] == '\0') {
			r = add_target(o, arg, err, errlen);
			if (r != OPTIONS_OK)
				return r;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options_done = true;
			continue;
		}
		if (arg[1] == '-') {
			eq = strchr(arg + 2, '=');
			e = find_long(arg + 2, eq != NULL ?
			    (size_t)(eq - (arg + 2)) : strlen(arg + 2),
			    err, errlen);
			if (e == NULL)
				return OPTIONS_ERROR;
			value = NULL;
			if (e->has_arg && eq != NULL)
				value = eq + 1;
			else if (e->has_arg && i + 1 < argc &&
			    argv[i + 1] != NULL)
				value = argv[++i];
			else if (e->has_arg) {
				seterr(err, errlen, "option '%s' needs a value",
				    opt_label(e, label, sizeof label));
				return OPTIONS_ERROR;
			} else if (eq != NULL) {
				seterr(err, errlen, "option '%s' takes no value",
				    opt_label(e, label, sizeof label));
				return OPTIONS_ERROR;
			}
			r = apply(o, &st, e, value);
			if (r != OPTIONS_OK)
				return r;
			continue;
		}
		for (p = arg + 1; *p != '\0'; p++) {
			e = find_short(*p);
			if (e == NULL) {
				char c[2] = { *p, '\0' };

				seterr(err, errlen, "unknown option '-%s' (try "
				    "ntrace --help)", echo_arg(c, echo,
				    sizeof echo));
				return OPTIONS_ERROR;
			}
			value = NULL;
			if (e->has_arg && p[1] != '\0')
				value = p + 1;
			else if (e->has_arg && i + 1 < argc &&
			    argv[i + 1] != NULL)
				value = argv[++i];
			else if (e->has_arg) {
				seterr(err, errlen, "option '%s' needs a value",
				    opt_label(e, label, sizeof label));
				return OPTIONS_ERROR;
			}
			r = apply(o, &st, e, value);
			if (r != OPTIONS_OK)
				return r;
			if (value != NULL)
				break;
		}
	}
	return check_final(o, &st);
}

/* Appends one finished word to the growing word list. */
static int
push_word(char **words, int *n, const char *buf, size_t len)
{
	char *w;

	if (*n >= OPTIONS_ENV_MAX_WORDS)
		return -1;
	w = malloc(len + 1);
	if (w == NULL)
		return -2;
	memcpy(w, buf, len);
	w[len] = '\0';
	words[(*n)++] = w;
	return 0;
}

/*
 * Splits like a POSIX shell without expansions: blanks separate words,
 * '...' is literal, "..." allows \" and \\ escapes, a backslash outside
 * quotes escapes any character.
 */
static int
split_words(const char *s, char **words, int *n, char *err, size_t errlen)
{
	char *buf;
	size_t len = 0;
	bool in_word = false;
	char quote = 0;
	int rc;

	/* No word is longer than the whole string. */
	buf = malloc(strlen(s) + 1);
	if (buf == NULL) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	for (; *s != '\0'; s++) {
		if (quote == '\'') {
			if (*s == '\'')
				quote = 0;
			else
				buf[len++] = *s;
			continue;
		}
		if (quote == '"') {
			if (*s == '"')
				quote = 0;
			else if (*s == '\\' && (s[1] == '"' || s[1] == '\\'))
				buf[len++] = *++s;
			else
				buf[len++] = *s;
			continue;
		}
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (in_word) {
				rc = push_word(words, n, buf, len);
				if (rc != 0)
					goto fail;
				len = 0;
				in_word = false;
			}
			continue;
		}
		in_word = true;
		if (*s == '\'' || *s == '"')
			quote = *s;
		else if (*s == '\\') {
			if (s[1] == '\0') {
				seterr(err, errlen, "trailing "
				    "backslash");
				free(buf);
				return -1;
			}
			buf[len++] = *++s;
		} else
			buf[len++] = *s;
	}
	if (quote != 0) {
		seterr(err, errlen, "unbalanced %c quote",
		    quote);
		free(buf);
		return -1;
	}
	if (in_word) {
		rc = push_word(words, n, buf, len);
		if (rc != 0)
			goto fail;
	}
	free(buf);
	return 0;
fail:
	if (rc == -1)
		seterr(err, errlen, "more than %d words",
		    OPTIONS_ENV_MAX_WORDS);
	else
		seterr(err, errlen, "out of memory");
	free(buf);
	return -1;
}

int
options_merge_env(const char *env, int argc, char **argv, int *out_argc,
    char ***out_argv, char *err, size_t errlen)
{
	char *words[OPTIONS_ENV_MAX_WORDS];
	char **nv;
	int nwords = 0, n = 0, i;

	*out_argc = 0;
	*out_argv = NULL;
	if (argc < 1) {
		seterr(err, errlen, "empty argument list");
		return -1;
	}
	if (env != NULL && split_words(env, words, &nwords, err, errlen) != 0)
		goto fail;
	nv = calloc((size_t)argc + (size_t)nwords + 1, sizeof *nv);
	if (nv == NULL) {
		seterr(err, errlen, "out of memory");
		goto fail;
	}
	nv[n] = strdup(argv[0] != NULL ? argv[0] : "ntrace");
	if (nv[n++] == NULL)
		goto oom;
	for (i = 0; i < nwords; i++) {
		nv[n++] = words[i];
		words[i] = NULL;
	}
	nwords = 0;
	for (i = 1; i < argc; i++) {
		nv[n] = strdup(argv[i]);
		if (nv[n++] == NULL)
			goto oom;
	}
	nv[n] = NULL;
	*out_argc = n;
	*out_argv = nv;
	return 0;
oom:
	seterr(err, errlen, "out of memory");
	options_free_argv(n, nv);
fail:
	for (i = 0; i < nwords; i++)
		free(words[i]);
	return -1;
}

void
options_free_argv(int argc, char **argv)
{
	int i;

	if (argv == NULL)
		return;
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

const char *
options_usage(void)
{
	return usage_text;
}
