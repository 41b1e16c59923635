/*
 * Command line: mtr's flags with mtr's meaning, new features as long
 * options. Pure code: parsing fills a struct and an error string and never
 * prints or exits, so unit tests and the fuzzer call it directly.
 */
#ifndef NTRACE_OPTIONS_H
#define NTRACE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OPTIONS_MAX_TARGETS 256
#define OPTIONS_MAX_DNS 8
#define OPTIONS_ORDER_MAX 32
#define OPTIONS_BURST_WINDOW_MAX 128	/* the model's per-hop history (MODEL_HIST) */

enum options_mode {
	MODE_AUTO = 0,		/* interactive on a terminal, else text report */
	MODE_INTERACTIVE,
	MODE_REPORT,		/* -r: mtr's text report */
	MODE_JSON,		/* -j */
	MODE_CSV,		/* -C */
	MODE_STREAM,		/* --stream: one JSON object per line per event */
};

enum options_result {
	OPTIONS_OK = 0,
	OPTIONS_HELP,		/* -h: print options_usage(), exit 0 */
	OPTIONS_VERSION,	/* -v: print version, exit 0 */
	OPTIONS_ERROR,		/* err holds the reason; exit 2 */
};

struct options {
	int family;		/* 0 (either), AF_INET (-4) or AF_INET6 (-6) */
	unsigned protocols;	/* bit (1u << PROTO_x) per protocol; 0 = ICMP */
	uint16_t port;		/* -P; 0 = protocol default */
	int first_ttl;		/* -f, 1..255 */
	int max_ttl;		/* -m, first_ttl..255 */
	double interval;	/* -i seconds between rounds */
	long cycles;		/* -c, rounds to run (reports; default 10) */
	bool cycles_set;	/* -c given: the live view stops probing after it too */
	enum options_mode mode;
	bool wide;		/* -w */
	bool no_dns;		/* -n */
	bool show_ips;		/* -b */
	bool mpls;		/* -e */
	bool aslookup;		/* -z */
	int ipinfo;		/* -y N, mtr's AS field; -1 = off */
	int psize;		/* -s bytes on the wire; 0 = default */
	int tos;		/* -Q, 0..255 */
	double timeout;		/* -Z seconds a probe waits for its reply */
	double grace;		/* -G seconds a report waits for late replies */
	char order[OPTIONS_ORDER_MAX + 1];	/* -o field letters; "" = default */
	int max_inflight;	/* --max-inflight probes per trace */
	int retries;		/* --retries of an unanswered hop in report mode */
	bool vary_flow;		/* --vary-flow: new flow id per round */
	int burst_loss;		/* --burst-loss percent that starts a burst; 0 off */
	int burst_window;	/* --burst-window results a burst is judged on */
	bool unprivileged;	/* --unprivileged */
	bool report_on_exit;	/* --report-on-exit */
	const char *src_addr;	/* -a */
	const char *interface;	/* -I */
	const char *dns_servers[OPTIONS_MAX_DNS];
	int n_dns_servers;
	const char *targets[OPTIONS_MAX_TARGETS];
	int n_targets;
};

void options_defaults(struct options *o);
/*
 * Parses argv (argv[0] is the program name). Strings in o point into argv.
 * On OPTIONS_ERROR, err holds one line saying what is wrong.
 */
enum options_result options_parse(struct options *o, int argc, char **argv,
    char *err, size_t errlen);
/*
 * Splits the NTRACE_OPTIONS value env into words (shell-like quoting with
 * '' and "") and builds a new argv: argv[0], those words, then argv[1..].
 * Returns 0, or -1 with err set (unbalanced quote, too many words).
 * The result is freed with options_free_argv().
 */
int options_merge_env(const char *env, int argc, char **argv, int *out_argc,
    char ***out_argv, char *err, size_t errlen);
void options_free_argv(int argc, char **argv);
/* The --help text. */
const char *options_usage(void);

#endif
