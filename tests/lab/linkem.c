/*
 * linkem: a two-namespace link emulator for the ntrace lab.
 *
 * It opens one TUN device inside each of two network namespaces and moves
 * IP packets between them, adding a one-way delay, jitter, loss and an
 * optional packet-rate limit, independently in each direction.  The random
 * numbers come from a seeded generator so a lab run can be repeated.
 *
 * Usage: linkem --a NS:IF --b NS:IF [--both SPEC] [--ab SPEC] [--ba SPEC]
 *              [--seed N] [--pidfile PATH] [--spin USEC] [--realtime]
 *              [--no-compensate] [--no-pdeathsig]
 * SPEC:  delay=5ms,jitter=1ms,dist=uniform|normal,loss=10%,rate=PPS,
 *        queue=N,reorder
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#define LINKEM_MAXPKT		65536
#define LINKEM_QUEUE_DEFAULT	1000
#define LINKEM_QUEUE_MAX	100000
#define LINKEM_READ_BURST	64
#define NSEC_PER_SEC		1000000000LL
#define LINKEM_COMP_MAX		(200 * 1000LL)	/* ns */
#define LINKEM_TWO_PI		6.283185307179586

enum linkem_dist {
	DIST_UNIFORM,
	DIST_NORMAL
};

/* One queued packet: when it is due and its bytes. */
struct pkt {
	int64_t		 due;
	uint64_t	 seq;
	size_t		 len;
	unsigned char	*data;
};

/* The impairments of one direction, as configured. */
struct dir_conf {
	int64_t		 delay;		/* ns */
	int64_t		 jitter;	/* ns */
	enum linkem_dist dist;
	double		 loss;		/* probability 0..1 */
	double		 rate;		/* packets per second, 0 = unlimited */
	size_t		 queue;
	int		 reorder;
};

/* One direction at run time: its queue, generator and counters. */
struct dir {
	const char	*name;
	struct dir_conf	 conf;
	int		 in_fd;
	int		 out_fd;
	struct pkt	*heap;
	size_t		 count;
	uint64_t	 next_seq;
	int64_t		 last_due;	/* keeps FIFO order without reorder */
	int64_t		 next_slot;	/* rate limiter: earliest next send */
	uint64_t	 rng[4];
	int		 have_spare;
	double		 spare;		/* second Box-Muller sample */
	uint64_t	 rx, tx, lost, qdrop, err;
};

struct endpoint {
	const char	*ns;
	char		 ifname[IFNAMSIZ];
};

static void __attribute__((format(printf, 1, 2), noreturn))
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("linkem: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void __attribute__((noreturn))
usage(void)
{
	fputs("usage: linkem --a NS:IF --b NS:IF [--both SPEC] [--ab SPEC] "
	    "[--ba SPEC]\n"
	    "              [--seed N] [--pidfile PATH] [--spin USEC] "
	    "[--realtime]\n"
	    "              [--no-compensate] [--no-pdeathsig]\n"
	    "SPEC: delay=5ms,jitter=1ms,dist=uniform|normal,loss=10%,"
	    "rate=PPS,queue=N,reorder\n", stderr);
	exit(2);
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* splitmix64 expands the user's seed into the xoshiro state. */
static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z;

	*x += 0x9e3779b97f4a7c15ULL;
	z = *x;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: fast, well-distributed and fully determined by the seed. */
static uint64_t
rng_next(uint64_t s[4])
{
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

static void
rng_seed(uint64_t s[4], uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		s[i] = splitmix64(&seed);
}

/* A double in [0, 1) with 53 random bits. */
static double
rng_unit(uint64_t s[4])
{
	return (double)(rng_next(s) >> 11) * 0x1.0p-53;
}

static double
rng_normal(struct dir *d)
{
	double u1, u2, r;

	if (d->have_spare) {
		d->have_spare = 0;
		return d->spare;
	}
	do {
		u1 = rng_unit(d->rng);
	} while (u1 <= 0.0);
	u2 = rng_unit(d->rng);
	r = sqrt(-2.0 * log(u1));
	d->spare = r * sin(LINKEM_TWO_PI * u2);
	d->have_spare = 1;
	return r * cos(LINKEM_TWO_PI * u2);
}

/* Parse a duration such as 5ms, 250us, 1.5ms, 0.01s or 3 (ms). */
static int
parse_duration(const char *s, int64_t *out)
{
	char *end;
	double v, mult;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || v < 0 || v > 3600.0 * 1000)
		return -1;
	if (*end == '\0' || strcmp(end, "ms") == 0)
		mult = 1e6;
	else if (strcmp(end, "us") == 0)
		mult = 1e3;
	else if (strcmp(end, "ns") == 0)
		mult = 1;
	else if (strcmp(end, "s") == 0)
		mult = 1e9;
	else
		return -1;
	*out = (int64_t)llround(v * mult);
	return 0;
}

static int
parse_double(const char *s, double lo, double hi, const char *suffix,
    double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || v < lo || v > hi)
		return -1;
	if (*end != '\0' && (suffix == NULL || strcmp(end, suffix) != 0))
		return -1;
	*out = v;
	return 0;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* Apply one comma-separated SPEC to a direction's configuration. */
static void
parse_spec(const char *spec, struct dir_conf *c)
{
	char buf[512], *p, *next, *val;
	size_t n = strlen(spec);
	double v;
	uint64_t u;

	if (n >= sizeof(buf))
		fatal("spec too long: %s", spec);
	memcpy(buf, spec, n + 1);
	for (p = buf; p != NULL && *p != '\0'; p = next) {
		next = strchr(p, ',');
		if (next != NULL)
			*next++ = '\0';
		val = strchr(p, '=');
		if (val != NULL)
			*val++ = '\0';
		if (strcmp(p, "reorder") == 0 && val == NULL) {
			c->reorder = 1;
			continue;
		}
		if (val == NULL)
			fatal("spec item needs a value: %s", p);
		if (strcmp(p, "delay") == 0) {
			if (parse_duration(val, &c->delay) != 0)
				fatal("bad delay: %s", val);
		} else if (strcmp(p, "jitter") == 0) {
			if (parse_duration(val, &c->jitter) != 0)
				fatal("bad jitter: %s", val);
		} else if (strcmp(p, "dist") == 0) {
			if (strcmp(val, "uniform") == 0)
				c->dist = DIST_UNIFORM;
			else if (strcmp(val, "normal") == 0)
				c->dist = DIST_NORMAL;
			else
				fatal("bad dist (uniform|normal): %s", val);
		} else if (strcmp(p, "loss") == 0) {
			/* Loss is in percent, like netem; the % is optional. */
			if (parse_double(val, 0, 100, "%", &v) != 0)
				fatal("bad loss (0-100%%): %s", val);
			c->loss = v / 100.0;
		} else if (strcmp(p, "rate") == 0) {
			if (parse_double(val, 0, 1e9, "pps", &v) != 0)
				fatal("bad rate (packets/s): %s", val);
			c->rate = v;
		} else if (strcmp(p, "queue") == 0) {
			if (parse_u64(val, &u) != 0 || u < 1 ||
			    u > LINKEM_QUEUE_MAX)
				fatal("bad queue (1-%d): %s", LINKEM_QUEUE_MAX,
				    val);
			c->queue = (size_t)u;
		} else
			fatal("unknown spec item: %s", p);
	}
}

static void
parse_endpoint(const char *arg, struct endpoint *e)
{
	const char *colon = strrchr(arg, ':');
	size_t n;

	if (colon == NULL || colon == arg)
		fatal("endpoint must be NS:IFNAME: %s", arg);
	n = strlen(colon + 1);
	if (n == 0 || n >= IFNAMSIZ)
		fatal("bad interface name in %s", arg);
	memcpy(e->ifname, colon + 1, n + 1);
	n = (size_t)(colon - arg);
	e->ns = strndup(arg, n);
	if (e->ns == NULL)
		fatal("out of memory");
}

/* Open a TUN device from inside the namespace so it lives there. */
static int
open_tun(const struct endpoint *e, int home_ns)
{
	char path[PATH_MAX];
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	struct ifreq ifr;
	int nsfd, fd, r, tries;

	if (strchr(e->ns, '/') != NULL)
		r = snprintf(path, sizeof(path), "%s", e->ns);
	else
		r = snprintf(path, sizeof(path), "/run/netns/%s", e->ns);
	if (r < 0 || (size_t)r >= sizeof(path))
		fatal("namespace path too long: %s", e->ns);
	nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (nsfd < 0)
		fatal("open %s: %s", path, strerror(errno));
	if (setns(nsfd, CLONE_NEWNET) != 0)
		fatal("setns %s: %s", path, strerror(errno));
	close(nsfd);

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		fatal("open /dev/net/tun: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	memcpy(ifr.ifr_name, e->ifname, strlen(e->ifname) + 1);
	/* A device of the same name may still be going away: retry. */
	for (tries = 0; ioctl(fd, TUNSETIFF, &ifr) != 0; tries++) {
		if (errno != EBUSY || tries >= 200)
			fatal("TUNSETIFF %s in %s: %s", e->ifname, e->ns,
			    strerror(errno));
		nanosleep(&pause, NULL);
	}

	if (setns(home_ns, CLONE_NEWNET) != 0)
		fatal("setns back: %s", strerror(errno));
	return fd;
}

/* Heap order: earliest due first, arrival order among equals. */
static int
pkt_before(const struct pkt *x, const struct pkt *y)
{
	if (x->due != y->due)
		return x->due < y->due;
	return x->seq < y->seq;
}

static void
heap_push(struct dir *d, struct pkt p)
{
	size_t i = d->count++, parent;

	d->heap[i] = p;
	while (i > 0) {
		parent = (i - 1) / 2;
		if (!pkt_before(&d->heap[i], &d->heap[parent]))
			break;
		p = d->heap[parent];
		d->heap[parent] = d->heap[i];
		d->heap[i] = p;
		i = parent;
	}
}

static struct pkt
heap_pop(struct dir *d)
{
	struct pkt top = d->heap[0], tmp;
	size_t i = 0, l, r, m;

	d->heap[0] = d->heap[--d->count];
	for (;;) {
		l = 2 * i + 1;
		r = l + 1;
		m = i;
		if (l < d->count && pkt_before(&d->heap[l], &d->heap[m]))
			m = l;
		if (r < d->count && pkt_before(&d->heap[r], &d->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = d->heap[m];
		d->heap[m] = d->heap[i];
		d->heap[i] = tmp;
		i = m;
	}
	return top;
}

/* Decide the fate of one arriving packet and queue it if it survives. */
static void
dir_admit(struct dir *d, const unsigned char *buf, size_t len, int64_t now)
{
	const struct dir_conf *c = &d->conf;
	struct pkt p;
	int64_t start = now, extra = 0, interval;

	d->rx++;
	if (c->loss > 0 && rng_unit(d->rng) < c->loss) {
		d->lost++;
		return;
	}
	if (d->count >= c->queue) {
		d->qdrop++;
		return;
	}
	/* The rate limit serialises packets like a slow link would. */
	if (c->rate > 0) {
		interval = (int64_t)llround(1e9 / c->rate);
		if (d->next_slot > start)
			start = d->next_slot;
		d->next_slot = start + interval;
	}
	if (c->jitter > 0) {
		if (c->dist == DIST_NORMAL)
			extra = (int64_t)llround(rng_normal(d) *
			    (double)c->jitter);
		else
			extra = (int64_t)llround((rng_unit(d->rng) * 2.0 - 1.0) *
			    (double)c->jitter);
	}
	if (c->delay + extra < 0)
		extra = -c->delay;
	p.due = start + c->delay + extra;
	/* Without reorder a packet never overtakes the one before it. */
	if (!c->reorder && p.due < d->last_due)
		p.due = d->last_due;
	d->last_due = p.due;
	p.seq = d->next_seq++;
	p.len = len;
	p.data = malloc(len);
	if (p.data == NULL) {
		d->qdrop++;
		return;
	}
	memcpy(p.data, buf, len);
	heap_push(d, p);
}

/* Read everything waiting on a direction's input device. */
static void
dir_read(struct dir *d, unsigned char *buf, int64_t wake)
{
	ssize_t n;
	int i;

	for (i = 0; i < LINKEM_READ_BURST; i++) {
		n = read(d->in_fd, buf, LINKEM_MAXPKT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				d->err++;
			return;
		}
		if (n == 0)
			return;
		/* The first packet waited for our wake-up; count from its arrival. */
		dir_admit(d, buf, (size_t)n, now_ns() - (i == 0 ? wake : 0));
	}
}

/* Send every packet whose time has come. */
static void
dir_flush(struct dir *d, int64_t now)
{
	struct pkt p;

	while (d->count > 0 && d->heap[0].due <= now) {
		p = heap_pop(d);
		/* A down device answers EIO; the packet is simply lost. */
		if (write(d->out_fd, p.data, p.len) == (ssize_t)p.len)
			d->tx++;
		else
			d->err++;
		free(p.data);
	}
}

static void
dir_stats(const struct dir *d)
{
	fprintf(stderr, "linkem: %s rx=%llu tx=%llu lost=%llu qdrop=%llu "
	    "err=%llu queued=%zu\n", d->name, (unsigned long long)d->rx,
	    (unsigned long long)d->tx, (unsigned long long)d->lost,
	    (unsigned long long)d->qdrop, (unsigned long long)d->err,
	    d->count);
}

static void
arm_timer(int tfd, int64_t when)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (when > 0) {
		its.it_value.tv_sec = when / NSEC_PER_SEC;
		its.it_value.tv_nsec = when % NSEC_PER_SEC;
	}
	timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void
write_pidfile(const char *path)
{
	char tmp[PATH_MAX];
	FILE *f;
	int r;

	r = snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (r < 0 || (size_t)r >= sizeof(tmp))
		fatal("pidfile path too long");
	f = fopen(tmp, "w");
	if (f == NULL)
		fatal("%s: %s", tmp, strerror(errno));
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		fatal("%s: %s", path, strerror(errno));
}

int
main(int argc, char **argv)
{
	struct endpoint ea = { NULL, "" }, eb = { NULL, "" };
	struct dir_conf base = { 0, 0, DIST_UNIFORM, 0, 0,
	    LINKEM_QUEUE_DEFAULT, 0 };
	struct dir dirs[2];
	const char *spec_ab = NULL, *spec_ba = NULL, *pidfile = NULL;
	uint64_t seed = 1, u;
	int64_t spin = 0, next, now, armed = 0, early = 0, late;
	int pdeathsig = 1, realtime = 0, compensate = 1, home_ns, tun_a, tun_b, tfd, sfd, i;
	pid_t ppid = getppid();
	struct pollfd pfd[4];
	struct signalfd_siginfo si;
	struct sched_param sp;
	unsigned char *buf;
	sigset_t mask;

	for (i = 1; i < argc; i++) {
		const char *opt = argv[i];
		const char *arg = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "--no-pdeathsig") == 0) {
			pdeathsig = 0;
			continue;
		}
		if (strcmp(opt, "--no-compensate") == 0) {
			compensate = 0;
			continue;
		}
		if (strcmp(opt, "--realtime") == 0) {
			realtime = 1;
			continue;
		}
		if (strcmp(opt, "--help") == 0 || arg == NULL)
			usage();
		i++;
		if (strcmp(opt, "--a") == 0)
			parse_endpoint(arg, &ea);
		else if (strcmp(opt, "--b") == 0)
			parse_endpoint(arg, &eb);
		else if (strcmp(opt, "--both") == 0)
			parse_spec(arg, &base);
		else if (strcmp(opt, "--ab") == 0)
			spec_ab = arg;
		else if (strcmp(opt, "--ba") == 0)
			spec_ba = arg;
		else if (strcmp(opt, "--pidfile") == 0)
			pidfile = arg;
		else if (strcmp(opt, "--seed") == 0) {
			if (parse_u64(arg, &seed) != 0)
				fatal("bad seed: %s", arg);
		} else if (strcmp(opt, "--spin") == 0) {
			if (parse_u64(arg, &u) != 0 || u > 10000)
				fatal("bad spin (0-10000 us): %s", arg);
			spin = (int64_t)u * 1000;
		} else
			usage();
	}
	if (ea.ns == NULL || eb.ns == NULL)
		usage();

	/* Die with the lab script so no emulator outlives its test. */
	if (pdeathsig) {
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0)
			fatal("PR_SET_PDEATHSIG: %s", strerror(errno));
		if (getppid() != ppid)
			return 0;
	}
	/* The default 50 us timer slack would eat the precision budget. */
	prctl(PR_SET_TIMERSLACK, 1UL);
	if (realtime) {
		memset(&sp, 0, sizeof(sp));
		sp.sched_priority = 10;
		if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0)
			fprintf(stderr, "linkem: SCHED_FIFO: %s (continuing)\n",
			    strerror(errno));
	}

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) != 0)
		fatal("sigprocmask: %s", strerror(errno));
	sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		fatal("signalfd: %s", strerror(errno));
	signal(SIGPIPE, SIG_IGN);

	home_ns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home_ns < 0)
		fatal("open /proc/self/ns/net: %s", strerror(errno));
	tun_a = open_tun(&ea, home_ns);
	tun_b = open_tun(&eb, home_ns);
	close(home_ns);

	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (tfd < 0)
		fatal("timerfd_create: %s", strerror(errno));
	buf = malloc(LINKEM_MAXPKT);
	if (buf == NULL)
		fatal("out of memory");

	for (i = 0; i < 2; i++) {
		memset(&dirs[i], 0, sizeof(dirs[i]));
		dirs[i].conf = base;
		parse_spec(i == 0 ? (spec_ab ? spec_ab : "") :
		    (spec_ba ? spec_ba : ""), &dirs[i].conf);
		dirs[i].heap = calloc(dirs[i].conf.queue, sizeof(struct pkt));
		if (dirs[i].heap == NULL)
			fatal("out of memory");
		/* Each direction draws from its own stream of the seed. */
		rng_seed(dirs[i].rng, seed * 2 + (uint64_t)i);
	}
	dirs[0].name = "a>b";
	dirs[0].in_fd = tun_a;
	dirs[0].out_fd = tun_b;
	dirs[1].name = "b>a";
	dirs[1].in_fd = tun_b;
	dirs[1].out_fd = tun_a;

	if (pidfile != NULL)
		write_pidfile(pidfile);

	pfd[0].fd = tun_a;
	pfd[1].fd = tun_b;
	pfd[2].fd = tfd;
	pfd[3].fd = sfd;
	for (i = 0; i < 4; i++)
		pfd[i].events = POLLIN;

	for (;;) {
		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll: %s", strerror(errno));
		}
		if (pfd[3].revents & POLLIN) {
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo != SIGUSR1)
					break;
				dir_stats(&dirs[0]);
				dir_stats(&dirs[1]);
			}
		}
		if (pfd[2].revents & POLLIN) {
			uint64_t ticks;

			if (read(tfd, &ticks, sizeof(ticks)) < 0 &&
			    errno != EAGAIN)
				fatal("timerfd read: %s", strerror(errno));
			/*
			 * Learn how late wake-ups come (an average of 8) and
			 * start that much early; the same latency delays our
			 * reads, so arrivals are counted that much earlier.
			 */
			late = now_ns() - armed;
			if (compensate && armed > 0 && late >= 0 &&
			    late < LINKEM_COMP_MAX * 4) {
				early += (late - early) / 8;
				if (early > LINKEM_COMP_MAX)
					early = LINKEM_COMP_MAX;
				if (early < 0)
					early = 0;
			}
		}
		if (pfd[0].revents & POLLIN)
			dir_read(&dirs[0], buf, early);
		if (pfd[1].revents & POLLIN)
			dir_read(&dirs[1], buf, early);
		if ((pfd[0].revents | pfd[1].revents) & (POLLERR | POLLHUP))
			fatal("TUN device went away");

		/* Wake a little early and spin, if asked, for precision. */
		for (;;) {
			now = now_ns() + early;
			dir_flush(&dirs[0], now);
			dir_flush(&dirs[1], now);
			next = 0;
			for (i = 0; i < 2; i++) {
				if (dirs[i].count == 0)
					continue;
				if (next == 0 || dirs[i].heap[0].due < next)
					next = dirs[i].heap[0].due;
			}
			if (next == 0 || spin == 0 || next - now > spin)
				break;
		}
		armed = next != 0 ? (next - spin - early > 0 ?
		    next - spin - early : 1) : 0;
		arm_timer(tfd, armed);
	}

	dir_stats(&dirs[0]);
	dir_stats(&dirs[1]);
	for (i = 0; i < 2; i++) {
		while (dirs[i].count > 0)
			free(heap_pop(&dirs[i]).data);
		free(dirs[i].heap);
	}
	free(buf);
	if (pidfile != NULL)
		unlink(pidfile);
	return 0;
}
