/*
 * Names without blocking: one c-ares channel driven by the engine's poll
 * loop (ares_getsock / ares_process_fd / ares_timeout). See resolve.h.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <ares.h>
#include <arpa/nameser.h>

#include "names.h"
#include "ntime.h"
#include "resolve.h"
#include "sanitize.h"

/*
 * A dead server costs at most 300 + 600 ms: c-ares doubles the timeout on
 * the second try. With several servers each is tried in turn.
 */
#define RESOLVE_TIMEOUT_MS 300
#define RESOLVE_TRIES 2
#define RESOLVE_MAX_INFLIGHT 64	/* PTR and TXT queries at once */
#define RESOLVE_QUEUE 1024	/* waiting for a free slot; more are dropped */
#define RESOLVE_HOST_MAX 253	/* RFC 1035 section 2.3.4, as text */
#define RESOLVE_MSG_MAX 256
#define RESOLVE_ECHO_MAX 64	/* bytes of user input repeated in messages */
#define RESOLVE_ANSWER_MAX 512	/* bytes kept of a PTR name or TXT answer */

struct resolve_query {
	struct resolve *r;
	struct addr addr;
	enum names_kind kind;
	bool used;
};

struct resolve_wait {
	struct addr addr;
	enum names_kind kind;
};

struct resolve_target {
	struct resolve *r;
	resolve_target_cb cb;
	void *arg;
	int family;
	char host[RESOLVE_HOST_MAX + 2];
};

struct resolve {
	struct model *m;
	ares_channel ch;
	bool destroying;
	bool draining;
	unsigned inflight;
	struct resolve_query q[RESOLVE_MAX_INFLIGHT];
	struct resolve_wait wait[RESOLVE_QUEUE];
	size_t whead, wlen;
};

static pthread_once_t resolve_once = PTHREAD_ONCE_INIT;
static int resolve_init_status = ARES_ENOTINITIALIZED;

/* ares_library_init is not thread-safe in 1.18: run it exactly once. */
static void
resolve_library_init(void)
{
	resolve_init_status = ares_library_init(ARES_LIB_INIT_ALL);
}

static double
resolve_now(void)
{
	struct timespec ts;

	ntime_mono(&ts);
	return ntime_to_sec(&ts);
}

/* User input, made printable and short, for an error message. */
static const char *
resolve_echo(const char *s, char *buf, size_t len)
{
	size_t n = strlen(s);

	if (n > RESOLVE_ECHO_MAX)
		n = RESOLVE_ECHO_MAX;
	sanitize_text(buf, len, s, n);
	return buf;
}

/* Turns one --dns-server value into c-ares's "ADDR:PORT" / "[V6]:PORT". */
static int
resolve_server(const char *s, char *out, size_t outlen)
{
	char host[ADDR_STRLEN], *end;
	const char *port;
	struct addr a;
	long v = 53;
	int r;

	if (addr_split_hostport(s, &a, &port) == -1)
		return -1;
	addr_ntop(&a, host, sizeof(host));
	if (port != NULL) {
		if (*port < '0' || *port > '9')
			return -1;
		errno = 0;
		v = strtol(port, &end, 10);
		if (errno != 0 || *end != '\0' || v < 1 || v > 65535)
			return -1;
	}
	r = snprintf(out, outlen, a.family == AF_INET6 ? "[%s]:%ld" : "%s:%ld",
	    host, v);
	return r < 0 || (size_t)r >= outlen ? -1 : 0;
}

static int
resolve_servers(ares_channel ch, const char *const *servers, int n,
    char *err, size_t errlen)
{
	char csv[(ADDR_STRLEN + 10) * 8 + 1], one[ADDR_STRLEN + 10];
	char echo[RESOLVE_ECHO_MAX + 1];
	size_t o = 0, l;
	int i, st;

	for (i = 0; i < n; i++) {
		if (servers[i] == NULL ||
		    resolve_server(servers[i], one, sizeof(one)) != 0) {
			snprintf(err, errlen, "--dns-server: '%s' is not ADDR, "
			    "ADDR:PORT or [IPV6]:PORT with a numeric address",
			    resolve_echo(servers[i] == NULL ? "" : servers[i],
			    echo, sizeof(echo)));
			return -1;
		}
		l = strlen(one);
		if (o + l + 2 > sizeof(csv)) {
			snprintf(err, errlen, "--dns-server: too many servers");
			return -1;
		}
		if (o > 0)
			csv[o++] = ',';
		memcpy(csv + o, one, l + 1);
		o += l;
	}
	st = ares_set_servers_ports_csv(ch, csv);
	if (st != ARES_SUCCESS) {
		snprintf(err, errlen, "--dns-server: %s", ares_strerror(st));
		return -1;
	}
	return 0;
}

/* Counts the servers the channel will ask. */
static int
resolve_nservers(ares_channel ch)
{
	struct ares_addr_port_node *list = NULL, *p;
	int n = 0;

	if (ares_get_servers_ports(ch, &list) != ARES_SUCCESS)
		return 0;
	for (p = list; p != NULL; p = p->next)
		n++;
	ares_free_data(list);
	return n;
}

static int
resolve_channel(ares_channel *ch, int flags, const char *const *servers,
    int nservers, char *err, size_t errlen)
{
	struct ares_options opt;
	int mask, st;

	memset(&opt, 0, sizeof(opt));
	opt.timeout = RESOLVE_TIMEOUT_MS;
	opt.tries = RESOLVE_TRIES;
	opt.flags = flags;
	mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
	if (nservers > 0) {
		/* --dns-server means that server alone: no search list either. */
		opt.ndomains = 0;
		opt.domains = NULL;
		mask |= ARES_OPT_DOMAINS;
	}
	st = ares_init_options(ch, &opt, mask);
	if (st != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s", ares_strerror(st));
		return -1;
	}
	if (nservers > 0 &&
	    resolve_servers(*ch, servers, nservers, err, errlen) != 0) {
		ares_destroy(*ch);
		return -1;
	}
	return 0;
}

struct resolve *
resolve_new(struct model *m, const char *const *servers, int nservers,
    char *err, size_t errlen)
{
	struct resolve *r;

	pthread_once(&resolve_once, resolve_library_init);
	if (resolve_init_status != ARES_SUCCESS) {
		snprintf(err, errlen, "c-ares: %s",
		    ares_strerror(resolve_init_status));
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		snprintf(err, errlen, "resolver: out of memory");
		return NULL;
	}
	r->m = m;
	if (resolve_channel(&r->ch, 0, servers, nservers, err, errlen) != 0) {
		free(r);
		return NULL;
	}
	/*
	 * c-ares 1.18 turns SERVFAIL and REFUSED into ECONNREFUSED after
	 * trying the next server. With one server there is no next one, so
	 * take its answer as it is and report what it said.
	 */
	if (resolve_nservers(r->ch) == 1) {
		ares_destroy(r->ch);
		if (resolve_channel(&r->ch, ARES_FLAG_NOCHECKRESP, servers,
		    nservers, err, errlen) != 0) {
			free(r);
			return NULL;
		}
	}
	return r;
}

void
resolve_free(struct resolve *r)
{
	size_t i;

	if (r == NULL)
		return;
	/* Callbacks run once more with ARES_EDESTRUCTION; they only clean up. */
	r->destroying = true;
	ares_destroy(r->ch);
	if (r->m != NULL && r->m->names != NULL) {
		model_lock(r->m);
		for (i = 0; i < r->wlen; i++) {
			struct resolve_wait *w =
			    &r->wait[(r->whead + i) % RESOLVE_QUEUE];

			names_cancel(r->m->names, &w->addr, w->kind);
		}
		model_unlock(r->m);
	}
	free(r);
}

int
resolve_fds(struct resolve *r, struct pollfd *fds, int max)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	unsigned bits;
	int i, n = 0;

	bits = (unsigned)ares_getsock(r->ch, socks, ARES_GETSOCK_MAXNUM);
	for (i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
		short ev = 0;

		/* ARES_GETSOCK_WRITABLE shifts a signed 1 into the sign bit. */
		if ((bits >> i) & 1u)
			ev |= POLLIN;
		if ((bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u)
			ev |= POLLOUT;
		if (ev == 0)
			continue;
		fds[n].fd = socks[i];
		fds[n].events = ev;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

void
resolve_handle(struct resolve *r, const struct pollfd *fds, int n)
{
	ares_socket_t rfd, wfd;
	int i;

	for (i = 0; i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		/* An error or hangup is read so c-ares sees it and moves on. */
		rfd = fds[i].revents & (POLLIN | POLLERR | POLLHUP) ?
		    fds[i].fd : ARES_SOCKET_BAD;
		wfd = fds[i].revents & POLLOUT ? fds[i].fd : ARES_SOCKET_BAD;
		ares_process_fd(r->ch, rfd, wfd);
	}
	/* Expired timeouts: the next try, or ARES_ETIMEOUT. */
	ares_process_fd(r->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}

int
resolve_timeout_ms(struct resolve *r)
{
	struct timeval tv, *tp;
	long ms;

	tp = ares_timeout(r->ch, NULL, &tv);
	if (tp == NULL)
		return -1;
	ms = (long)tp->tv_sec * 1000 + ((long)tp->tv_usec + 999) / 1000;
	if (ms < 0)
		ms = 0;
	if (ms > 60000)
		ms = 60000;
	return (int)ms;
}

/* Host name syntax (RFC 1123 section 2.1, plus '_' seen in the wild). */
static enum resolve_status
resolve_check_name(const char *host, char *msg, size_t msglen)
{
	char echo[RESOLVE_ECHO_MAX + 1];
	size_t len = strlen(host), label = 0, i;
	bool digits = true;
	unsigned char c;

	if (len > 0 && host[len - 1] == '.')
		len--;	/* the root: "host.example." is fully qualified */
	if (len == 0 || len > RESOLVE_HOST_MAX)
		goto bad;
	for (i = 0; i < len; i++) {
		c = (unsigned char)host[i];
		if (c == '.') {
			if (label == 0)
				goto bad;
			label = 0;
			digits = true;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_'))
			goto bad;
		if (c < '0' || c > '9')
			digits = false;
		if (++label > 63)
			goto bad;
	}
	/* RFC 3696 section 2: a top-level label is never all digits. */
	if (digits) {
		snprintf(msg, msglen, "'%s' is not a valid IP address",
		    resolve_echo(host, echo, sizeof(echo)));
		return RESOLVE_BADNAME;
	}
	return RESOLVE_OK;
bad:
	snprintf(msg, msglen, "'%s' is not a host name or address",
	    resolve_echo(host, echo, sizeof(echo)));
	return RESOLVE_BADNAME;
}

static const char *
resolve_family_name(int family)
{
	if (family == AF_INET)
		return "IPv4 ";
	if (family == AF_INET6)
		return "IPv6 ";
	return "";
}

/* Maps a c-ares status to ours with a one-line reason. */
static enum resolve_status
resolve_map(int status, const char *host, int family, char *msg,
    size_t msglen)
{
	const char *why;
	enum resolve_status st;

	switch (status) {
	case ARES_ENOTFOUND:
		st = RESOLVE_NXDOMAIN;
		why = "no such host (NXDOMAIN)";
		break;
	case ARES_ENODATA:
		st = RESOLVE_NODATA;
		/* Host names are at most 253 bytes; keep the reason visible. */
		snprintf(msg, msglen, "cannot resolve '%.100s': it has no %saddress "
		    "(NODATA)", host, resolve_family_name(family));
		return st;
	case ARES_ESERVFAIL:
		st = RESOLVE_SERVFAIL;
		why = "the DNS server failed (SERVFAIL)";
		break;
	case ARES_EREFUSED:
		st = RESOLVE_SERVFAIL;
		why = "the DNS server refused to answer (REFUSED)";
		break;
	case ARES_ETIMEOUT:
		st = RESOLVE_TIMEOUT;
		why = "no answer from the DNS server (timeout)";
		break;
	case ARES_ECONNREFUSED:
		st = RESOLVE_TIMEOUT;
		/* One server: ICMP unreachable; more: all failed somehow. */
		why = "no DNS server answered (unreachable, refused or failed)";
		break;
	default:
		st = RESOLVE_ERROR;
		why = ares_strerror(status);
		break;
	}
	snprintf(msg, msglen, "cannot resolve '%.100s': %s", host, why);
	return st;
}

/* True when the host has a route to a: connect() on UDP sends nothing. */
static bool
resolve_routable(const struct addr *a)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	bool ok;
	int fd;

	fd = socket(a->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	sl = addr_to_sockaddr(a, 53, &ss);
	ok = connect(fd, (struct sockaddr *)&ss, sl) == 0;
	close(fd);
	return ok;
}

/*
 * With neither -4 nor -6 and both families present: IPv6 when the host has
 * a route for it (RFC 6724's default prefers IPv6), otherwise IPv4.
 */
static const struct ares_addrinfo_node *
resolve_pick(const struct ares_addrinfo *ai, int family)
{
	const struct ares_addrinfo_node *n, *v4 = NULL, *v6 = NULL;
	struct addr a;

	for (n = ai->nodes; n != NULL; n = n->ai_next) {
		if (n->ai_addr == NULL)
			continue;
		if (n->ai_family == AF_INET && v4 == NULL)
			v4 = n;
		if (n->ai_family == AF_INET6 && v6 == NULL)
			v6 = n;
	}
	if (family == AF_INET)
		return v4;
	if (family == AF_INET6)
		return v6;
	if (v6 == NULL || v4 == NULL)
		return v6 != NULL ? v6 : v4;
	addr_from_sockaddr(v6->ai_addr, &a);
	return resolve_routable(&a) ? v6 : v4;
}

static void
resolve_target_done(void *arg, int status, int timeouts,
    struct ares_addrinfo *ai)
{
	struct resolve_target *t = arg;
	const struct ares_addrinfo_node *n;
	char msg[RESOLVE_MSG_MAX];
	enum resolve_status st;
	struct addr a;

	(void)timeouts;
	if (t->r->destroying) {
		/* The engine is shutting down: nobody waits for this. */
		if (ai != NULL)
			ares_freeaddrinfo(ai);
		free(t);
		return;
	}
	if (status == ARES_SUCCESS && ai != NULL) {
		n = resolve_pick(ai, t->family);
		if (n != NULL) {
			addr_from_sockaddr(n->ai_addr, &a);
			ares_freeaddrinfo(ai);
			t->cb(t->arg, RESOLVE_OK, &a, NULL);
			free(t);
			return;
		}
		status = ARES_ENODATA;
	}
	if (ai != NULL)
		ares_freeaddrinfo(ai);
	st = resolve_map(status, t->host, t->family, msg, sizeof(msg));
	t->cb(t->arg, st, NULL, msg);
	free(t);
}

void
resolve_target(struct resolve *r, const char *host, int family,
    resolve_target_cb cb, void *arg)
{
	struct ares_addrinfo_hints hints;
	struct resolve_target *t;
	char msg[RESOLVE_MSG_MAX], echo[RESOLVE_ECHO_MAX + 1];
	struct addr a;

	if (host == NULL)
		host = "";
	if (family != 0 && family != AF_INET && family != AF_INET6) {
		cb(arg, RESOLVE_ERROR, NULL, "unknown address family");
		return;
	}
	if (addr_pton(host, &a) == 0) {
		if (family != 0 && a.family != family) {
			snprintf(msg, sizeof(msg), "%s is not an %saddress",
			    resolve_echo(host, echo, sizeof(echo)),
			    resolve_family_name(family));
			cb(arg, RESOLVE_BADNAME, NULL, msg);
			return;
		}
		cb(arg, RESOLVE_OK, &a, NULL);
		return;
	}
	if (resolve_check_name(host, msg, sizeof(msg)) != RESOLVE_OK) {
		cb(arg, RESOLVE_BADNAME, NULL, msg);
		return;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		cb(arg, RESOLVE_ERROR, NULL, "resolver: out of memory");
		return;
	}
	t->r = r;
	t->cb = cb;
	t->arg = arg;
	t->family = family;
	/* resolve_check_name bounded the length. */
	memcpy(t->host, host, strlen(host) + 1);
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family == 0 ? AF_UNSPEC : family;
	hints.ai_flags = ARES_AI_NOSORT;
	/* The callback may run before this returns (hosts file, errors). */
	ares_getaddrinfo(r->ch, t->host, NULL, &hints, resolve_target_done, t);
}

static void resolve_drain(struct resolve *r);

static void
resolve_answer(void *arg, int status, int timeouts, unsigned char *abuf,
    int alen)
{
	struct resolve_query *q = arg;
	struct resolve *r = q->r;
	char text[RESOLVE_ANSWER_MAX];
	enum names_parse p = NAMES_PARSE_BAD;
	struct names *n = r->m->names;
	double now = resolve_now();
	size_t len = 0;
	uint32_t ttl = 0;

	(void)timeouts;
	q->used = false;
	r->inflight--;
	if (status == ARES_SUCCESS && abuf != NULL && alen > 0)
		p = names_parse_answer(abuf, (size_t)alen,
		    q->kind == NAMES_PTR ? T_PTR : T_TXT, text, sizeof(text),
		    &len, &ttl);
	model_lock(r->m);
	if (r->destroying)
		names_cancel(n, &q->addr, q->kind);
	else if (status == ARES_SUCCESS && p == NAMES_PARSE_OK) {
		if (q->kind == NAMES_PTR)
			names_set_ptr(n, &q->addr, text, len, ttl, now);
		else
			names_set_asn(n, &q->addr, text, len, ttl, now);
	} else {
		/* No such name is definite; timeouts and garbage are not. */
		names_fail(n, &q->addr, q->kind,
		    status == ARES_ENOTFOUND || status == ARES_ENODATA ||
		    (status == ARES_SUCCESS && p == NAMES_PARSE_NONE), now);
	}
	model_touch(r->m);
	model_unlock(r->m);
	if (!r->destroying)
		resolve_drain(r);
}

/* Sends one PTR or TXT query; the answer lands in the name cache. */
static void
resolve_send(struct resolve *r, const struct addr *a, enum names_kind kind)
{
	struct resolve_query *q = NULL;
	char qname[128];
	size_t i;

	for (i = 0; i < RESOLVE_MAX_INFLIGHT; i++) {
		if (!r->q[i].used) {
			q = &r->q[i];
			break;
		}
	}
	if (q == NULL || names_query_name(a, kind, qname, sizeof(qname)) != 0) {
		model_lock(r->m);
		names_cancel(r->m->names, a, kind);
		model_unlock(r->m);
		return;
	}
	q->r = r;
	q->addr = *a;
	q->kind = kind;
	q->used = true;
	r->inflight++;
	ares_query(r->ch, qname, C_IN, kind == NAMES_PTR ? T_PTR : T_TXT,
	    resolve_answer, q);
}

/* Starts queued queries while slots are free; never recurses. */
static void
resolve_drain(struct resolve *r)
{
	struct resolve_wait w;

	if (r->draining)
		return;
	r->draining = true;
	while (r->wlen > 0 && r->inflight < RESOLVE_MAX_INFLIGHT) {
		w = r->wait[r->whead];
		r->whead = (r->whead + 1) % RESOLVE_QUEUE;
		r->wlen--;
		resolve_send(r, &w.addr, w.kind);
	}
	r->draining = false;
}

static void
resolve_start(struct resolve *r, const struct addr *a, enum names_kind kind)
{
	struct resolve_wait *w;

	if (r->inflight < RESOLVE_MAX_INFLIGHT && r->wlen == 0) {
		resolve_send(r, a, kind);
		return;
	}
	if (r->wlen == RESOLVE_QUEUE) {
		/* Give the claim back: a later reply asks again. */
		model_lock(r->m);
		names_cancel(r->m->names, a, kind);
		model_unlock(r->m);
		return;
	}
	w = &r->wait[(r->whead + r->wlen) % RESOLVE_QUEUE];
	w->addr = *a;
	w->kind = kind;
	r->wlen++;
	resolve_drain(r);
}

void
resolve_lookup(struct resolve *r, const struct addr *a, bool ptr, bool asn)
{
	bool want[NAMES_NKINDS];
	double now;
	int k;

	if (!addr_is_set(a) || (!ptr && !asn) || r->m->names == NULL)
		return;
	now = resolve_now();
	model_lock(r->m);
	want[NAMES_PTR] = ptr && names_begin(r->m->names, a, NAMES_PTR, now);
	want[NAMES_ASN] = asn && names_begin(r->m->names, a, NAMES_ASN, now);
	model_unlock(r->m);
	/* Outside the lock: c-ares may call back before ares_query returns. */
	for (k = 0; k < NAMES_NKINDS; k++) {
		if (want[k])
			resolve_start(r, a, (enum names_kind)k);
	}
}
