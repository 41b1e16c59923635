/* Unit tests for the command-line parser (src/options.c). */
#include "config.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "options.h"
#include "packet.h"

#define ERRLEN 256

/* argv as a compound literal, so each test reads like the command line. */
#define ARGV(...) ((char *[]){ "ntrace", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof(ARGV(__VA_ARGS__)) / sizeof(char *)) - 1)
#define PARSE(o, err, ...) \
	run((o), (err), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
#define OK(o, ...) expect_ok((o), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))
#define ERR(want, ...) \
	expect_error((want), ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

#define BIT(p) (1u << (p))

static enum options_result
run(struct options *o, char *err, int argc, char **argv)
{
	options_defaults(o);
	return options_parse(o, argc, argv, err, ERRLEN);
}

/* Parses a command line that must succeed. */
static void
expect_ok(struct options *o, int argc, char **argv)
{
	char err[ERRLEN];
	enum options_result r = run(o, err, argc, argv);

	if (r != OPTIONS_OK)
		fail_msg("parse failed (%d): %s", (int)r, err);
}

/* Parses a command line that must fail with a message containing want. */
static void
expect_error(const char *want, int argc, char **argv)
{
	struct options o;
	char err[ERRLEN];
	enum options_result r = run(&o, err, argc, argv);

	if (r != OPTIONS_ERROR)
		fail_msg("expected an error containing '%s', got %d", want,
		    (int)r);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' does not contain '%s'", err, want);
	if (strchr(err, '\n') != NULL)
		fail_msg("error '%s' is more than one line", err);
}

static void
test_defaults(void **state)
{
	struct options o;

	(void)state;
	options_defaults(&o);
	assert_int_equal(o.family, 0);
	assert_int_equal(o.port, 0);
	assert_int_equal(o.first_ttl, 1);
	assert_int_equal(o.max_ttl, 30);
	assert_true(o.interval == 1.0);
	assert_int_equal(o.cycles, 10);
	assert_int_equal(o.mode, MODE_AUTO);
	assert_true(o.timeout == 2.0);
	assert_true(o.grace == 0.0);
	assert_int_equal(o.psize, 0);
	assert_int_equal(o.tos, 0);
	assert_int_equal(o.max_inflight, 64);
	assert_int_equal(o.retries, 2);
	assert_int_equal(o.burst_loss, 50);
	assert_int_equal(o.burst_window, 10);
	assert_int_equal(o.ipinfo, -1);
	assert_string_equal(o.order, "");
	assert_int_equal(o.n_targets, 0);
	assert_int_equal(o.n_dns_servers, 0);
}

static void
test_plain_host(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "example.net");
	assert_int_equal(o.n_targets, 1);
	assert_string_equal(o.targets[0], "example.net");
	/* With no protocol option the parser settles on ICMP, like mtr. */
	assert_int_equal(o.protocols, BIT(PROTO_ICMP));
	assert_int_equal(o.mode, MODE_AUTO);
}

static void
test_flags(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "-n", "-b", "-e", "-z", "h");
	assert_true(o.no_dns);
	assert_true(o.show_ips);
	assert_true(o.mpls);
	assert_true(o.aslookup);
	assert_int_equal(o.ipinfo, 0);
	assert_false(o.vary_flow);

	OK(&o, "--no-dns", "--show-ips", "--mpls", "--aslookup", "--vary-flow",
	    "--unprivileged", "--report-on-exit", "h");
	assert_true(o.no_dns);
	assert_true(o.show_ips);
	assert_true(o.mpls);
	assert_true(o.aslookup);
	assert_true(o.vary_flow);
	assert_true(o.unprivileged);
	assert_true(o.report_on_exit);

	/* Bundled short flags, a value glued on, and --opt=value. */
	OK(&o, "-rnc3", "--max-ttl=12", "-f2", "h");
	assert_int_equal(o.mode, MODE_REPORT);
	assert_true(o.no_dns);
	assert_int_equal(o.cycles, 3);
	assert_int_equal(o.max_ttl, 12);
	assert_int_equal(o.first_ttl, 2);

	/* An unambiguous prefix of a long option works, as with getopt_long. */
	OK(&o, "--max-inf", "9", "h");
	assert_int_equal(o.max_inflight, 9);
}

static void
test_values(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "-T", "-P", "443", "-f", "3", "-m", "20", "-i", "0.25", "-c",
	    "5", "-Q", "184", "-Z", "1.5", "-G", "3", "-y", "2",
	    "--max-inflight", "128", "--retries", "0", "h");
	assert_int_equal(o.protocols, BIT(PROTO_TCP));
	assert_int_equal(o.port, 443);
	assert_int_equal(o.first_ttl, 3);
	assert_int_equal(o.max_ttl, 20);
	assert_true(o.interval == 0.25);
	assert_int_equal(o.cycles, 5);
	assert_int_equal(o.tos, 184);
	assert_true(o.timeout == 1.5);
	assert_true(o.grace == 3.0);
	assert_int_equal(o.ipinfo, 2);
	assert_true(o.aslookup);
	assert_int_equal(o.max_inflight, 128);
	assert_int_equal(o.retries, 0);

	OK(&o, "--burst-loss", "30", "--burst-window=20", "h");
	assert_int_equal(o.burst_loss, 30);
	assert_int_equal(o.burst_window, 20);
	/* 0 turns burst events off. */
	OK(&o, "--burst-loss=0", "h");
	assert_int_equal(o.burst_loss, 0);
	assert_int_equal(o.burst_window, 10);

	OK(&o, "--udp", "--port", "33434", "--first-ttl", "4", "--max-ttl",
	    "4", "--interval", "2", "--report-cycles", "1", "--tos", "0",
	    "--timeout", "60", "--gracetime", "0", "--ipinfo", "4", "h");
	assert_int_equal(o.protocols, BIT(PROTO_UDP));
	assert_int_equal(o.port, 33434);
	assert_int_equal(o.first_ttl, 4);
	assert_int_equal(o.max_ttl, 4);
	assert_true(o.interval == 2.0);
	assert_int_equal(o.cycles, 1);
	assert_true(o.timeout == 60.0);
	assert_int_equal(o.ipinfo, 4);
}

struct int_range {
	const char *opt;
	long min, max;
	const char *label;
	const char *extra;	/* an option that makes min/max legal, or NULL */
	const char *extra_val;
};

static void
test_int_boundaries(void **state)
{
	static const struct int_range ranges[] = {
		{ "-P", 1, 65535, "-P/--port", "-u", NULL },
		{ "-f", 1, 255, "-f/--first-ttl", "-m", "255" },
		{ "-m", 1, 255, "-m/--max-ttl", NULL, NULL },
		{ "-c", 1, INT_MAX, "-c/--report-cycles", NULL, NULL },
		{ "-Q", 0, 255, "-Q/--tos", NULL, NULL },
		{ "-y", 0, 4, "-y/--ipinfo", NULL, NULL },
		{ "--max-inflight", 1, 1024, "--max-inflight", NULL, NULL },
		{ "--retries", 0, 10, "--retries", NULL, NULL },
		{ "--burst-loss", 0, 100, "--burst-loss", NULL, NULL },
		{ "--burst-window", 2, 128, "--burst-window", NULL, NULL },
	};
	struct options o;
	char err[ERRLEN], val[32], want[128];
	long tries[4];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		const struct int_range *r = &ranges[i];

		tries[0] = r->min;
		tries[1] = r->max;
		tries[2] = r->min - 1;
		tries[3] = r->max + 1;
		for (k = 0; k < 4; k++) {
			char *argv[6] = { "ntrace", (char *)r->opt, val,
			    "host", NULL, NULL };
			int argc = 4;
			enum options_result res;

			snprintf(val, sizeof val, "%ld", tries[k]);
			if (r->extra != NULL) {
				argv[argc++] = (char *)r->extra;
				if (r->extra_val != NULL)
					argv[argc++] = (char *)r->extra_val;
			}
			res = run(&o, err, argc, argv);
			if (k < 2) {
				if (res != OPTIONS_OK)
					fail_msg("%s %s: %s", r->opt, val, err);
				continue;
			}
			assert_int_equal(res, OPTIONS_ERROR);
			snprintf(want, sizeof want, "%s: '%s' is out of range "
			    "(%ld..%ld)", r->label, val, r->min, r->max);
			assert_string_equal(err, want);
		}
	}
	OK(&o, "-c", "2147483647", "h");
	assert_int_equal(o.cycles, 2147483647L);
	OK(&o, "-P", "65535", "-T", "h");
	assert_int_equal(o.port, 65535);
}

static void
test_seconds_boundaries(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "-i", "0.01", "h");
	assert_true(o.interval == 0.01);
	OK(&o, "-i", "3600", "h");
	assert_true(o.interval == 3600.0);
	OK(&o, "-i", "1e-2", "h");
	assert_true(o.interval == 0.01);
	ERR("-i/--interval: '0.009' is out of range (0.01..3600)",
	    "-i", "0.009", "h");
	ERR("-i/--interval: '3600.5' is out of range (0.01..3600)",
	    "-i", "3600.5", "h");
	ERR("out of range", "-i", "0", "h");
	ERR("out of range", "-i", "-1", "h");

	OK(&o, "-Z", "0.001", "h");
	assert_true(o.timeout == 0.001);
	OK(&o, "-Z", "60", "h");
	ERR("-Z/--timeout: '0' is out of range (above 0, at most 60)",
	    "-Z", "0", "h");
	ERR("-Z/--timeout: '60.01' is out of range", "-Z", "60.01", "h");

	OK(&o, "-G", "0", "h");
	assert_true(o.grace == 0.0);
	OK(&o, "-G", "60", "h");
	assert_true(o.grace == 60.0);
	ERR("-G/--gracetime: '-0.5' is out of range (0..60)", "-G", "-0.5",
	    "h");
	ERR("-G/--gracetime: '61' is out of range (0..60)", "-G", "61", "h");
}

static void
test_junk_numbers(void **state)
{
	static const char *junk[] = {
		"", "1x", "0x10", "nan", " 5", "5 ", "inf", "+", "-", "x", "1.5",
	};
	static const char *junk_seconds[] = {
		"", "1x", "0x10", "nan", "NaN", " 5", "5 ", "inf", "infinity",
		"0x1p3", ".", "1..2", "1e", "-",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof junk / sizeof junk[0]; i++)
		ERR("-m/--max-ttl: '", "-m", (char *)junk[i], "h");
	ERR("-m/--max-ttl: '0x10' is not a whole number (1..255)",
	    "-m", "0x10", "h");
	ERR("-P/--port: '' is not a whole number (1..65535)", "-P", "", "-u",
	    "h");
	/* Overflow of long is out of range, not wrapped around. */
	ERR("-c/--report-cycles: '99999999999999999999' is out of range",
	    "-c", "99999999999999999999", "h");

	for (i = 0; i < sizeof junk_seconds / sizeof junk_seconds[0]; i++)
		ERR("-i/--interval: '", "-i", (char *)junk_seconds[i], "h");
	ERR("-i/--interval: 'nan' is not a number of seconds", "-i", "nan",
	    "h");
	ERR("-i/--interval: '1e999' is out of range (0.01..3600)",
	    "-i", "1e999", "h");
	ERR("-Z/--timeout: '1e-999' is out of range", "-Z", "1e-999", "h");
}

static void
test_psize(void **state)
{
	struct options o;
	char err[ERRLEN], lo[24], below[24], want[96];
	size_t m4 = pkt_min_size(AF_INET, PROTO_ICMP);
	size_t m6tcp = pkt_min_size(AF_INET6, PROTO_TCP);
	size_t m4tcp = pkt_min_size(AF_INET, PROTO_TCP);

	(void)state;
	assert_true(m4 > 1 && m4 < PKT_MAX_SIZE);

	snprintf(lo, sizeof lo, "%zu", m4);
	snprintf(below, sizeof below, "%zu", m4 - 1);
	OK(&o, "-4", "-s", lo, "h");
	assert_int_equal(o.psize, (int)m4);
	snprintf(want, sizeof want, "-s/--psize: '%s' is out of range "
	    "(%zu..%d)", below, m4, PKT_MAX_SIZE);
	assert_int_equal(PARSE(&o, err, "-4", "-s", below, "h"),
	    OPTIONS_ERROR);
	assert_string_equal(err, want);
	OK(&o, "-4", "-s", "9000", "h");
	assert_int_equal(o.psize, 9000);
	ERR("-s/--psize: '9001' is out of range", "-4", "-s", "9001", "h");
	ERR("-s/--psize: '0' is out of range", "-s", "0", "h");

	/* The bound follows the family and protocols given after -s too. */
	snprintf(lo, sizeof lo, "%zu", m6tcp);
	snprintf(below, sizeof below, "%zu", m6tcp - 1);
	OK(&o, "-s", lo, "-6", "-T", "h");
	ERR("-s/--psize: '", "-s", below, "-6", "-T", "h");
	snprintf(below, sizeof below, "%zu", m4tcp - 1);
	ERR("-s/--psize: '", "-s", below, "--icmp", "-T", "h");

	/*
	 * With no -4/-6 the family is unknown: a size that fits either
	 * family passes here, and -6 then tightens the bound.
	 */
	if (pkt_min_size(AF_INET6, PROTO_ICMP) > m4) {
		snprintf(lo, sizeof lo, "%zu", m4);
		OK(&o, "-s", lo, "h");
		assert_int_equal(o.psize, (int)m4);
		ERR("-s/--psize: '", "-6", "-s", lo, "h");
	}

	/* mtr's negative sizes (random lengths) are refused, clearly. */
	ERR("-s/--psize: '-64': negative sizes", "-s", "-64", "h");
	ERR("-s/--psize: 'big' is not a whole number", "-s", "big", "h");
}

static void
test_protocol_accumulation(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "-u", "-T", "h");
	assert_int_equal(o.protocols, BIT(PROTO_UDP) | BIT(PROTO_TCP));
	OK(&o, "--icmp", "-u", "h");
	assert_int_equal(o.protocols, BIT(PROTO_ICMP) | BIT(PROTO_UDP));
	OK(&o, "--icmp", "h");
	assert_int_equal(o.protocols, BIT(PROTO_ICMP));
	OK(&o, "--protocol", "icmp,udp,tcp", "h");
	assert_int_equal(o.protocols,
	    BIT(PROTO_ICMP) | BIT(PROTO_UDP) | BIT(PROTO_TCP));
	OK(&o, "--protocol=tcp,tcp", "h");
	assert_int_equal(o.protocols, BIT(PROTO_TCP));
	OK(&o, "--protocol", "udp", "-T", "h");
	assert_int_equal(o.protocols, BIT(PROTO_UDP) | BIT(PROTO_TCP));
	OK(&o, "-T", "-T", "h");
	assert_int_equal(o.protocols, BIT(PROTO_TCP));
}

static void
test_protocol_errors(void **state)
{
	(void)state;
	ERR("--protocol: unknown protocol 'sctp' (use icmp, udp, tcp)",
	    "--protocol", "icmp,sctp", "h");
	ERR("--protocol: empty protocol name in 'icmp,,udp'",
	    "--protocol", "icmp,,udp", "h");
	ERR("--protocol: empty protocol name", "--protocol", "", "h");
	ERR("--protocol: empty protocol name", "--protocol", "tcp,", "h");
	ERR("--protocol: unknown protocol", "--protocol",
	    "averyveryverylongprotocolname", "h");
	ERR("option '--protocol' needs a value", "h", "--protocol");
}

static void
test_port_and_family_conflicts(void **state)
{
	struct options o;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(PARSE(&o, err, "-P", "80", "h"), OPTIONS_ERROR);
	assert_string_equal(err,
	    "--port applies to UDP and TCP probes, not ICMP (add -u or -T)");
	ERR("--port applies to UDP and TCP", "--icmp", "-P", "80", "h");
	OK(&o, "--icmp", "-P", "80", "-T", "h");
	assert_int_equal(o.port, 80);

	OK(&o, "-4", "h");
	assert_int_equal(o.family, AF_INET);
	OK(&o, "--inet6", "h");
	assert_int_equal(o.family, AF_INET6);
	OK(&o, "-4", "-4", "h");
	assert_int_equal(o.family, AF_INET);
	ERR("-4 and -6 cannot be used together", "-4", "-6", "h");
	ERR("-4 and -6 cannot be used together", "-6", "h", "-4");
}

static void
test_ttl_order(void **state)
{
	struct options o;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(PARSE(&o, err, "-f", "5", "-m", "3", "h"),
	    OPTIONS_ERROR);
	assert_string_equal(err, "max-ttl (3) is below first-ttl (5)");
	/* The check waits for both options, whatever their order. */
	assert_int_equal(PARSE(&o, err, "-m", "3", "-f", "5", "h"),
	    OPTIONS_ERROR);
	assert_string_equal(err, "max-ttl (3) is below first-ttl (5)");
	ERR("max-ttl (30) is below first-ttl (40)", "-f", "40", "h");
	ERR("max-ttl (4) is below first-ttl (5)", "-m", "4", "-f", "5", "h");
	OK(&o, "-f", "5", "-m", "5", "h");
	OK(&o, "-m", "40", "-f", "40", "h");
	assert_int_equal(o.first_ttl, 40);
}

static void
test_modes(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "-w", "h");
	assert_int_equal(o.mode, MODE_REPORT);
	assert_true(o.wide);
	OK(&o, "--report", "h");
	assert_int_equal(o.mode, MODE_REPORT);
	assert_false(o.wide);
	/* The last output-mode flag wins, as in mtr. */
	OK(&o, "-r", "-j", "h");
	assert_int_equal(o.mode, MODE_JSON);
	OK(&o, "-j", "-r", "h");
	assert_int_equal(o.mode, MODE_REPORT);
	OK(&o, "-j", "--csv", "h");
	assert_int_equal(o.mode, MODE_CSV);
	OK(&o, "-C", "--stream", "h");
	assert_int_equal(o.mode, MODE_STREAM);
	OK(&o, "--stream", "-t", "h");
	assert_int_equal(o.mode, MODE_INTERACTIVE);
	OK(&o, "--curses", "--json", "h");
	assert_int_equal(o.mode, MODE_JSON);
}

static void
test_order(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "-o", "LSNABWV", "h");
	assert_string_equal(o.order, "LSNABWV");
	OK(&o, "--order=LDRSNBAWVGJMXI59PY", "h");
	assert_string_equal(o.order, "LDRSNBAWVGJMXI59PY");
	ERR("-o/--order: ", "-o", "LQ", "h");
	ERR("-o/--order: '' must have 1 to 32 field letters", "-o", "", "h");
	ERR("must have 1 to 32 field letters", "-o",
	    "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL", "h");
	OK(&o, "-o", "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL", "h");
	assert_int_equal(strlen(o.order), OPTIONS_ORDER_MAX);
}

static void
test_address_and_interface(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "-a", "127.0.0.1", "h");
	assert_string_equal(o.src_addr, "127.0.0.1");
	OK(&o, "--address", "::1", "-6", "h");
	assert_string_equal(o.src_addr, "::1");
	ERR("-a/--address: 'localhost' is not a numeric IPv4 or IPv6 address",
	    "-a", "localhost", "h");
	ERR("-a/--address: '::1' is not an IPv4 address, but -4 was given",
	    "-a", "::1", "-4", "h");
	OK(&o, "-I", "lo", "h");
	assert_string_equal(o.interface, "lo");
	OK(&o, "--interface", "abcdefghijklmno", "h");
	ERR("-I/--interface: 'abcdefghijklmnop' is not an interface name",
	    "-I", "abcdefghijklmnop", "h");
	ERR("-I/--interface: '' is not an interface name", "-I", "", "h");
}

static void
test_dns_server(void **state)
{
	struct options o;

	(void)state;
	OK(&o, "--dns-server", "127.0.0.1", "--dns-server", "127.0.0.1:5353",
	    "--dns-server", "::1", "--dns-server", "[::1]:53",
	    "--dns-server=[::1]", "h");
	assert_int_equal(o.n_dns_servers, 5);
	assert_string_equal(o.dns_servers[0], "127.0.0.1");
	assert_string_equal(o.dns_servers[1], "127.0.0.1:5353");
	assert_string_equal(o.dns_servers[3], "[::1]:53");
	ERR("--dns-server: 'resolver.example' is not ADDR", "--dns-server",
	    "resolver.example", "h");
	ERR("--dns-server: '[::1' is not ADDR", "--dns-server", "[::1", "h");
	ERR("--dns-server: '[127.0.0.1]:53'", "--dns-server",
	    "[127.0.0.1]:53", "h");
	ERR("--dns-server: '0' is out of range (1..65535)", "--dns-server",
	    "127.0.0.1:0", "h");
	ERR("--dns-server: '70000' is out of range", "--dns-server",
	    "127.0.0.1:70000", "h");
	OK(&o, "--dns-server", "127.0.0.1", "--dns-server", "127.0.0.2",
	    "--dns-server", "127.0.0.3", "--dns-server", "127.0.0.4",
	    "--dns-server", "127.0.0.5", "--dns-server", "127.0.0.6",
	    "--dns-server", "127.0.0.7", "--dns-server", "127.0.0.8", "h");
	assert_int_equal(o.n_dns_servers, OPTIONS_MAX_DNS);
	ERR("--dns-server: at most 8 servers",
	    "--dns-server", "127.0.0.1", "--dns-server", "127.0.0.2",
	    "--dns-server", "127.0.0.3", "--dns-server", "127.0.0.4",
	    "--dns-server", "127.0.0.5", "--dns-server", "127.0.0.6",
	    "--dns-server", "127.0.0.7", "--dns-server", "127.0.0.8",
	    "--dns-server", "127.0.0.9", "h");
}

static void
test_hosts(void **state)
{
	struct options o;
	char err[ERRLEN];
	char host[300];
	char *many[OPTIONS_MAX_TARGETS + 3];
	int i;

	(void)state;
	/* Options after hosts still count (GNU permutation). */
	OK(&o, "a.example", "-r", "b.example", "-c", "2");
	assert_int_equal(o.mode, MODE_REPORT);
	assert_int_equal(o.cycles, 2);
	assert_int_equal(o.n_targets, 2);
	assert_string_equal(o.targets[0], "a.example");
	assert_string_equal(o.targets[1], "b.example");

	/* After "--" everything is a host, even what looks like an option. */
	OK(&o, "-n", "--", "-r", "h");
	assert_int_equal(o.mode, MODE_AUTO);
	assert_int_equal(o.n_targets, 2);
	assert_string_equal(o.targets[0], "-r");

	assert_int_equal(run(&o, err, 1, (char *[]){ "ntrace", NULL }),
	    OPTIONS_ERROR);
	assert_string_equal(err, "no target host given (try ntrace --help)");
	ERR("no target host given", "-r", "-n");
	ERR("no target host given", "--");
	ERR("empty host name", "");

	memset(host, 'a', 253);
	host[253] = '\0';
	OK(&o, host);
	host[253] = 'a';
	host[254] = '\0';
	ERR("is not a valid host name (longer than 253 characters)", host);
	ERR("is not a valid host name (control character)", "a\tb");

	many[0] = "ntrace";
	for (i = 1; i <= OPTIONS_MAX_TARGETS + 1; i++)
		many[i] = "h";
	many[OPTIONS_MAX_TARGETS + 2] = NULL;
	assert_int_equal(run(&o, err, OPTIONS_MAX_TARGETS + 1, many),
	    OPTIONS_OK);
	assert_int_equal(o.n_targets, OPTIONS_MAX_TARGETS);
	assert_int_equal(run(&o, err, OPTIONS_MAX_TARGETS + 2, many),
	    OPTIONS_ERROR);
	assert_string_equal(err, "too many hosts (at most 256)");
}

static void
test_unknown_and_missing(void **state)
{
	struct options o;
	char err[ERRLEN];

	(void)state;
	assert_int_equal(PARSE(&o, err, "--foo", "h"), OPTIONS_ERROR);
	assert_string_equal(err, "unknown option '--foo' (try ntrace --help)");
	ERR("unknown option '--foo'", "--foo=3", "h");
	ERR("unknown option '-x'", "-x", "h");
	ERR("unknown option '-x'", "-nx", "h");
	/* mtr has -S (SCTP) and -F (file); ntrace does not, and says so. */
	ERR("unknown option '-S'", "-S", "h");
	ERR("option '-m/--max-ttl' needs a value", "h", "-m");
	ERR("option '-m/--max-ttl' needs a value", "h", "--max-ttl");
	ERR("option '-r/--report' takes no value", "--report=yes", "h");
	ERR("option '--rep' is ambiguous", "--rep", "h");
	ERR("unknown option '--'", "--=x", "h");
}

static void
test_help_version(void **state)
{
	struct options o;
	char err[ERRLEN];

	(void)state;
	/* Help and version need no host. */
	assert_int_equal(PARSE(&o, err, "-h"), OPTIONS_HELP);
	assert_int_equal(PARSE(&o, err, "--help"), OPTIONS_HELP);
	assert_int_equal(PARSE(&o, err, "-v"), OPTIONS_VERSION);
	assert_int_equal(PARSE(&o, err, "-r", "--version", "h"),
	    OPTIONS_VERSION);
}

static void
test_reentrant(void **state)
{
	struct options a, b;
	char *argv[] = { "ntrace", "-u", "-T", "-P", "53", "-c", "7", "x.example",
	    "-i", "0.5", "--dns-server", "::1", "--", "-y", NULL };
	char *copy[sizeof argv / sizeof argv[0]];
	char err[ERRLEN];
	int argc = (int)(sizeof argv / sizeof argv[0]) - 1;

	(void)state;
	memcpy(copy, argv, sizeof argv);
	assert_int_equal(run(&a, err, argc, argv), OPTIONS_OK);
	/* An error in between must leave no state behind. */
	assert_int_equal(PARSE(&b, err, "--bogus", "-m"), OPTIONS_ERROR);
	assert_int_equal(run(&b, err, argc, argv), OPTIONS_OK);
	assert_memory_equal(&a, &b, sizeof a);
	/* The parser does not permute or rewrite argv. */
	assert_memory_equal(argv, copy, sizeof argv);
	assert_int_equal(a.n_targets, 2);
	assert_string_equal(a.targets[1], "-y");
}

static void
test_merge_env(void **state)
{
	char *argv[] = { "ntrace", "-c", "7", "h", NULL };
	char **nv;
	char err[ERRLEN];
	int nc;
	struct options o;

	(void)state;
	assert_int_equal(options_merge_env(NULL, 4, argv, &nc, &nv, err,
	    ERRLEN), 0);
	assert_int_equal(nc, 4);
	assert_string_equal(nv[1], "-c");
	assert_null(nv[4]);
	options_free_argv(nc, nv);

	assert_int_equal(options_merge_env("  -r\t-c 5 -n ", 4, argv, &nc,
	    &nv, err, ERRLEN), 0);
	assert_int_equal(nc, 8);
	assert_string_equal(nv[0], "ntrace");
	assert_string_equal(nv[1], "-r");
	assert_string_equal(nv[2], "-c");
	assert_string_equal(nv[3], "5");
	assert_string_equal(nv[4], "-n");
	assert_string_equal(nv[5], "-c");
	assert_null(nv[8]);
	/* The command line comes after the environment, so it wins. */
	options_defaults(&o);
	assert_int_equal(options_parse(&o, nc, nv, err, ERRLEN), OPTIONS_OK);
	assert_int_equal(o.cycles, 7);
	assert_int_equal(o.mode, MODE_REPORT);
	assert_true(o.no_dns);
	options_free_argv(nc, nv);

	assert_int_equal(options_merge_env("-o 'L S' \"a \\\"b\\\\\" c\\ d ''"
	    " 'it''s' \"x\\y\"", 1, argv, &nc, &nv, err, ERRLEN), 0);
	assert_int_equal(nc, 8);
	assert_string_equal(nv[2], "L S");
	assert_string_equal(nv[3], "a \"b\\");
	assert_string_equal(nv[4], "c d");
	assert_string_equal(nv[5], "");
	assert_string_equal(nv[6], "its");
	assert_string_equal(nv[7], "x\\y");
	options_free_argv(nc, nv);

	assert_int_equal(options_merge_env("", 4, argv, &nc, &nv, err,
	    ERRLEN), 0);
	assert_int_equal(nc, 4);
	options_free_argv(nc, nv);
}

static void
test_merge_env_errors(void **state)
{
	char *argv[] = { "ntrace", "h", NULL };
	char **nv = (char **)argv;
	char err[ERRLEN];
	char words[256 * 3 + 8];
	int nc = 99, i;

	(void)state;
	assert_int_equal(options_merge_env("-r 'oops", 2, argv, &nc, &nv, err,
	    ERRLEN), -1);
	assert_string_equal(err, "unbalanced ' quote");
	assert_null(nv);
	assert_int_equal(nc, 0);
	assert_int_equal(options_merge_env("-r \"oops", 2, argv, &nc, &nv,
	    err, ERRLEN), -1);
	assert_string_equal(err, "unbalanced \" quote");
	assert_int_equal(options_merge_env("-r \\", 2, argv, &nc, &nv, err,
	    ERRLEN), -1);
	assert_string_equal(err, "trailing backslash");

	/* 256 words are accepted, the 257th is refused. */
	words[0] = '\0';
	for (i = 0; i < 256; i++)
		memcpy(words + i * 3, "-n ", 4);
	assert_int_equal(options_merge_env(words, 2, argv, &nc, &nv, err,
	    ERRLEN), 0);
	assert_int_equal(nc, 258);
	options_free_argv(nc, nv);
	memcpy(words + 256 * 3, "-n", 3);
	assert_int_equal(options_merge_env(words, 2, argv, &nc, &nv, err,
	    ERRLEN), -1);
	assert_string_equal(err, "more than 256 words");
	assert_null(nv);
}

static void
test_errors_are_safe_to_print(void **state)
{
	struct options o;
	char err[ERRLEN];
	char longval[400];
	const char *p;

	(void)state;
	/* A hostile value must not smuggle escape sequences to the terminal. */
	assert_int_equal(PARSE(&o, err, "-m", "\033]0;pwned\007", "h"),
	    OPTIONS_ERROR);
	for (p = err; *p != '\0'; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	assert_int_equal(PARSE(&o, err, "h\033[2J"), OPTIONS_ERROR);
	assert_null(strchr(err, '\033'));

	/* A huge value is shortened, so the message stays one short line. */
	memset(longval, '9', sizeof longval - 1);
	longval[sizeof longval - 1] = '\0';
	assert_int_equal(PARSE(&o, err, "-c", longval, "h"), OPTIONS_ERROR);
	assert_true(strlen(err) < 120);
	assert_non_null(strstr(err, "...' is out of range"));

	/* A tiny buffer truncates instead of overflowing. */
	options_defaults(&o);
	assert_int_equal(options_parse(&o, 2, (char *[]){ "ntrace", "--foo",
	    NULL }, err, 8), OPTIONS_ERROR);
	assert_string_equal(err, "unknown");
	options_defaults(&o);
	assert_int_equal(options_parse(&o, 2, (char *[]){ "ntrace", "--foo",
	    NULL }, NULL, 0), OPTIONS_ERROR);
}

static void
test_usage(void **state)
{
	static const char *names[] = {
		"-4,", "-6,", "--icmp", "--udp", "--tcp", "--protocol", "--port",
		"--first-ttl", "--max-ttl", "--interval", "--report-cycles",
		"--report ", "--report-wide", "--json", "--csv", "--stream",
		"--no-dns", "--show-ips", "--psize", "--tos", "--mpls",
		"--timeout", "--gracetime", "--order", "--aslookup", "--ipinfo",
		"--address", "--interface", "--max-inflight", "--retries",
		"--burst-loss", "--burst-window",
		"--vary-flow", "--unprivileged", "--report-on-exit",
		"--dns-server", "--curses", "--version", "--help",
		"NTRACE_OPTIONS",
	};
	const char *u = options_usage();
	const char *line;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strstr(u, names[i]) == NULL)
			fail_msg("--help does not mention %s", names[i]);
	}
	/* Every line fits an 80-column terminal. */
	for (line = u; *line != '\0'; ) {
		const char *nl = strchr(line, '\n');

		assert_non_null(nl);
		assert_true(nl - line <= 79);
		line = nl + 1;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_plain_host),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_int_boundaries),
		cmocka_unit_test(test_seconds_boundaries),
		cmocka_unit_test(test_junk_numbers),
		cmocka_unit_test(test_psize),
		cmocka_unit_test(test_protocol_accumulation),
		cmocka_unit_test(test_protocol_errors),
		cmocka_unit_test(test_port_and_family_conflicts),
		cmocka_unit_test(test_ttl_order),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_address_and_interface),
		cmocka_unit_test(test_dns_server),
		cmocka_unit_test(test_hosts),
		cmocka_unit_test(test_unknown_and_missing),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_reentrant),
		cmocka_unit_test(test_merge_env),
		cmocka_unit_test(test_merge_env_errors),
		cmocka_unit_test(test_errors_are_safe_to_print),
		cmocka_unit_test(test_usage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
