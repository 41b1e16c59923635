/*
 * Regression tests for what the fuzzers and the hostile-input table found
 * (issue 10): each test is one finding, named after what went wrong.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "options.h"

#define ERRLEN 256

/* True when s holds only printable ASCII. */
static int
printable(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	}
	return 1;
}

/*
 * -I took any bytes, and the socket layer printed them back raw in
 * "cannot bind to interface ESC[2J...": an interface name is now printable
 * ASCII without blanks or '/' (what Linux allows and people type).
 */
static void
test_interface_control_bytes(void **state)
{
	char *bad[] = { "\033[2J", "eth0\n", "e\xff", "a b", "a/b",
	    ("\xc2\x9b" "31m") };
	char *argv[] = { "ntrace", "-I", NULL, "127.0.0.1", NULL };
	struct options o;
	char err[ERRLEN];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		argv[2] = bad[i];
		options_defaults(&o);
		assert_int_equal(options_parse(&o, 4, argv, err, sizeof(err)),
		    OPTIONS_ERROR);
		assert_non_null(strstr(err, "is not an interface name"));
		assert_true(printable(err));
	}
	argv[2] = "veth-lab.7";
	options_defaults(&o);
	assert_int_equal(options_parse(&o, 4, argv, err, sizeof(err)),
	    OPTIONS_OK);
	assert_string_equal(o.interface, "veth-lab.7");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interface_control_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
