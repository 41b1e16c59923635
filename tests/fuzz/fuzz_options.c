/*
 * libFuzzer target for the command line: the input is split at NUL bytes
 * into words; when its first byte is odd the first word is an
 * NTRACE_OPTIONS value merged in front of the rest. Whatever the words,
 * parsing must not crash, an error must be one printable line, and an
 * accepted command line must satisfy every range the engine relies on.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "options.h"
#include "packet.h"

#define FUZZ_MAX_WORDS 300

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run with a crash libFuzzer records as a finding. */
static void
fuzz_check(int ok, const char *what, int line)
{
	if (!ok) {
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, line,
		    what);
		abort();
	}
}

#define check(x) fuzz_check((x) != 0, #x, __LINE__)

/* True when s is one line of printable ASCII (what echo_arg promises). */
static int
printable_line(const char *s, size_t max)
{
	size_t i;

	for (i = 0; i < max && s[i] != '\0'; i++) {
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return 0;
	}
	return i < max;
}

/* True when s holds no C0 control or DEL (UTF-8 is the resolver's job). */
static int
no_c0(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 0;
	}
	return 1;
}

/* True when p points into one of the argv strings. */
static int
points_into(const char *p, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		if (p >= argv[i] && p <= argv[i] + strlen(argv[i]))
			return 1;
	}
	return 0;
}

/* What an accepted command line promises the engine and the reports. */
static void
check_ok(const struct options *o, int argc, char **argv)
{
	int i;

	check(o->family == 0 || o->family == AF_INET ||
	    o->family == AF_INET6);
	check(o->protocols != 0 && o->protocols < (1u << PROTO_COUNT));
	check(o->port == 0 || o->protocols != 1u << PROTO_ICMP);
	check(o->first_ttl >= 1 && o->first_ttl <= o->max_ttl &&
	    o->max_ttl <= 255);
	check(isfinite(o->interval) && o->interval >= 0.01 &&
	    o->interval <= 3600.0);
	check(isfinite(o->timeout) && o->timeout > 0.0 && o->timeout <= 60.0);
	check(isfinite(o->grace) && o->grace >= 0.0 && o->grace <= 60.0);
	check(o->cycles >= 1);
	check(o->mode >= MODE_AUTO && o->mode <= MODE_STREAM);
	check(o->ipinfo >= -1 && o->ipinfo <= 4);
	check(o->psize >= 0 && o->psize <= PKT_MAX_SIZE);
	check(o->tos >= 0 && o->tos <= 255);
	check(memchr(o->order, '\0', sizeof(o->order)) != NULL);
	check(o->max_inflight >= 1 && o->max_inflight <= 1024);
	check(o->retries >= 0 && o->retries <= 10);
	check(o->burst_loss >= 0 && o->burst_loss <= 100);
	check(o->burst_window >= 2 &&
	    o->burst_window <= OPTIONS_BURST_WINDOW_MAX);
	check(o->n_dns_servers >= 0 && o->n_dns_servers <= OPTIONS_MAX_DNS);
	for (i = 0; i < o->n_dns_servers; i++)
		check(points_into(o->dns_servers[i], argc, argv));
	check(o->n_targets >= 1 && o->n_targets <= OPTIONS_MAX_TARGETS);
	for (i = 0; i < o->n_targets; i++) {
		check(o->targets[i][0] != '\0' && strlen(o->targets[i]) <= 253);
		check(points_into(o->targets[i], argc, argv));
		check(no_c0(o->targets[i]));
	}
	/* Strings that reach error messages and socket calls verbatim. */
	if (o->interface != NULL)
		check(printable_line(o->interface, 16));
	if (o->src_addr != NULL)
		check(points_into(o->src_addr, argc, argv));
}

/* Splits data at NUL bytes into at most FUZZ_MAX_WORDS heap strings. */
static int
split(const uint8_t *data, size_t size, char **words)
{
	size_t start = 0, i;
	int n = 0;

	for (i = 0; i <= size && n < FUZZ_MAX_WORDS; i++) {
		if (i < size && data[i] != '\0')
			continue;
		words[n] = malloc(i - start + 1);
		if (words[n] == NULL)
			break;
		memcpy(words[n], data + start, i - start);
		words[n][i - start] = '\0';
		n++;
		start = i + 1;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *words[FUZZ_MAX_WORDS + 1], **argv, **av, *err, *env = NULL;
	struct options o;
	enum options_result r;
	size_t errlen;
	int nw, argc, ac, i, first = 0;

	if (size < 2)
		return 0;
	/* Exact-size error buffers from 1 to 256 bytes catch overruns. */
	errlen = (size_t)data[1] + 1;
	nw = split(data + 2, size - 2, words);
	if (data[0] & 1 && nw > 0) {
		env = words[0];
		first = 1;
	}
	argv = calloc((size_t)(nw - first) + 2, sizeof(*argv));
	err = malloc(errlen);
	if (argv == NULL || err == NULL)
		goto out;
	argv[0] = (char *)"ntrace";
	argc = 1;
	for (i = first; i < nw; i++)
		argv[argc++] = words[i];
	argv[argc] = NULL;
	av = argv;
	ac = argc;
	if (env != NULL) {
		if (options_merge_env(env, argc, argv, &ac, &av, err,
		    errlen) == -1) {
			check(av == NULL && ac == 0);
			check(printable_line(err, errlen));
			check(errlen < 2 || err[0] != '\0');
			goto out;
		}
		check(ac >= argc && av[ac] == NULL);
		for (i = 1; i < argc; i++)
			check(strcmp(av[ac - argc + i], argv[i]) == 0);
	}
	options_defaults(&o);
	r = options_parse(&o, ac, av, err, errlen);
	check(r >= OPTIONS_OK && r <= OPTIONS_ERROR);
	check(printable_line(err, errlen));
	if (r == OPTIONS_ERROR)
		check(errlen < 2 || err[0] != '\0');
	else
		check(err[0] == '\0');
	if (r == OPTIONS_OK)
		check_ok(&o, ac, av);
	if (av != argv)
		options_free_argv(ac, av);
out:
	free(err);
	free(argv);
	for (i = 0; i < nw; i++)
		free(words[i]);
	return 0;
}
