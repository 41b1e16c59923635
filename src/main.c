/* ntrace: a live, mtr-style traceroute for the terminal. */
#include "config.h"

#include <errno.h>
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

	return report_stream_probe(stdout, m, r) == -1 ? -1 : 0;
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
		rc = 0;
		break;
	default:
		rc = report_text(stdout, m, o);
		break;
	}
	model_unlock(m);
	if (fflush(stdout) == EOF || ferror(stdout))
		rc = -1;
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
	if (o->mode == MODE_AUTO)
		o->mode = isatty(STDOUT_FILENO) ? MODE_INTERACTIVE : MODE_REPORT;
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
