/* ntrace: a live, mtr-style traceroute for the terminal. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ares.h>

#include "engine.h"
#include "model.h"
#include "ntime.h"
#include "options.h"
#include "packet.h"
#include "privs.h"
#include "report.h"
#include "ui.h"

static volatile sig_atomic_t stop_signal;
/* Why --stream output failed, set by the engine thread before it ends. */
static int stream_errno;

static void
on_signal(int sig)
{
	stop_signal = sig;
}

static void
install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A closed pipe is a write error we report, not a silent death. */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int
stream_cb(const struct engine_probe_result *r, void *arg)
{
	struct model *m = arg;

	if (report_stream_probe(stdout, m, r) == -1) {
		stream_errno = errno != 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

/*
 * Points a closed descriptor 0, 1 or 2 at /dev/null before any socket is
 * opened, so no socket takes its number and gets the report or the error
 * messages written into it. Stdout is opened read-only: a report to a
 * closed stdout then fails as a write error instead of vanishing.
 */
static int
reserve_stdio(void)
{
	int fd, flags;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		flags = fd == 2 ? O_WRONLY : O_RDONLY;
		if (open("/dev/null", flags) != fd)
			return -1;
	}
	return 0;
}

/* Waits for the engine to finish its cycles, or for a signal to stop it. */
static void
wait_done(struct model *m, struct engine *e)
{
	struct timespec until;
	bool asked = false;

	model_lock(m);
	while (!m->done) {
		if (stop_signal != 0 && !asked) {
			engine_command(e, ENGINE_QUIT, 0);
			asked = true;
		}
		clock_gettime(CLOCK_REALTIME, &until);
		ntime_add_sec(&until, 0.1);
		pthread_cond_timedwait(&m->changed, &m->lock, &until);
	}
	model_unlock(m);
	engine_join(e);
}

static int
print_report(struct model *m, const struct options *o)
{
	int rc;

	model_lock(m);
	switch (o->mode) {
	case MODE_JSON:
		rc = report_json(stdout, m, o);
		break;
	case MODE_CSV:
		rc = report_csv(stdout, m, o);
		break;
	case MODE_STREAM:
		/* Events logged after the last probe line still go out. */
		rc = report_stream_flush(stdout, m);
		break;
	default:
		rc = report_text(stdout, m, o);
		break;
	}
	model_unlock(m);
	/* Keep the errno of a failed write above; forget any older one. */
	if (rc == 0)
		errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout))
		rc = -1;
	/* Stream lines were written by the engine thread, with its errno. */
	if (rc == -1 && stream_errno != 0)
		errno = stream_errno;
	if (rc == -1) {
		fprintf(stderr, "ntrace: cannot write the report: %s\n",
		    strerror(errno != 0 ? errno : EIO));
		return 1;
	}
	return 0;
}

/* -v: the version, and which socket back end a run would use. */
static void
print_version(const struct options *o)
{
	printf("ntrace %s\n", PACKAGE_VERSION);
	if (!o->unprivileged && privs_have_net_raw())
		printf("back end: raw sockets (CAP_NET_RAW)\n");
	else
		printf("back end: unprivileged (ping, UDP and TCP sockets; "
		    "--unprivileged or no CAP_NET_RAW)\n");
	printf("c-ares %s\n", ares_version(NULL));
}

static size_t
count_protocols(unsigned mask)
{
	size_t n = 0;
	int p;

	for (p = 0; p < PROTO_COUNT; p++)
		if (mask & (1u << p))
			n++;
	return n;
}

static int
run(struct options *o)
{
	struct model m;
	struct engine *e;
	char err[512];
	size_t ntraces;
	int rc;

	if (o->protocols == 0)
		o->protocols = 1u << PROTO_ICMP;
	/*
	 * The live view reads its keys from stdin: without a terminal there
	 * it could never be told to quit.
	 */
	if (o->mode == MODE_AUTO)
		o->mode = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO) ?
		    MODE_INTERACTIVE : MODE_REPORT;
	if (o->mode == MODE_INTERACTIVE && !isatty(STDIN_FILENO)) {
		fprintf(stderr, "ntrace: the live view needs a terminal on "
		    "standard input (use -r, -j, -C or --stream)\n");
		return 1;
	}
	ntraces = (size_t)o->n_targets * count_protocols(o->protocols);
	if (model_init(&m, ntraces) == -1) {
		fprintf(stderr, "ntrace: out of memory\n");
		return 1;
	}
	e = engine_new(o, &m, err, sizeof(err));
	if (e == NULL) {
		fprintf(stderr, "ntrace: %s\n", err);
		model_free(&m);
		return 1;
	}
	/* Every socket is open: nothing below needs privileges. */
	if (privs_drop(err, sizeof(err)) == -1) {
		fprintf(stderr, "ntrace: cannot drop privileges: %s\n", err);
		engine_free(e);
		model_free(&m);
		return 1;
	}
	if (o->mode == MODE_STREAM)
		engine_set_probe_cb(e, stream_cb, &m);
	if (engine_start(e) == -1) {
		fprintf(stderr, "ntrace: cannot start the engine thread\n");
		engine_free(e);
		model_free(&m);
		return 1;
	}
	if (o->mode == MODE_INTERACTIVE) {
		rc = ui_run(&m, e, o);
		engine_command(e, ENGINE_QUIT, 0);
		engine_join(e);
		if (rc == 0 && o->report_on_exit)
			rc = print_report(&m, o);
	} else {
		wait_done(&m, e);
		rc = m.error[0] != '\0' ? 1 : print_report(&m, o);
	}
	/* A run the engine had to give up on says why, whatever the mode. */
	if (m.error[0] != '\0') {
		fprintf(stderr, "ntrace: %s\n", m.error);
		rc = 1;
	} else {
		size_t i;

		/* Traces that could not run while others did: say which, exit 1. */
		for (i = 0; i < m.ntraces; i++) {
			if (m.traces[i].error[0] == '\0')
				continue;
			fprintf(stderr, "ntrace: %s (%s): %s\n", m.traces[i].target,
			    pkt_proto_name(m.traces[i].proto), m.traces[i].error);
			rc = 1;
		}
	}
	engine_free(e);
	model_free(&m);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o;
	char err[512];
	char **av = argv;
	int ac = argc, rc;
	const char *env = getenv("NTRACE_OPTIONS");

	if (reserve_stdio() == -1)
		return 1;
	install_signals();
	if (env != NULL && options_merge_env(env, argc, argv, &ac, &av, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "ntrace: NTRACE_OPTIONS: %s\n", err);
		return 2;
	}
	options_defaults(&o);
	switch (options_parse(&o, ac, av, err, sizeof(err))) {
	case OPTIONS_HELP:
		fputs(options_usage(), stdout);
		rc = 0;
		break;
	case OPTIONS_VERSION:
		print_version(&o);
		rc = 0;
		break;
	case OPTIONS_ERROR:
		fprintf(stderr, "ntrace: %s\n", err);
		rc = 2;
		break;
	default:
		rc = run(&o);
		break;
	}
	if (av != argv)
		options_free_argv(ac, av);
	return rc;
}
