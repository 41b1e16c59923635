# Hostile and wrong command-line inputs (tests/cli/hostile.table): each
# must give its message and exit code without a crash, a hang or a
# control character. Rows that probe 127.0.0.1/::1 skip unless root.
TESTS += tests/cli/hostile.sh tests/cli/tty_gone.sh
EXTRA_DIST += tests/cli/hostile.sh tests/cli/hostile.table tests/cli/tty_gone.sh

# Regression tests for what the fuzzers and the table found (issue 10).
if UNIT_TESTS
check_PROGRAMS += tests/unit/test_hardening
TESTS += tests/unit/test_hardening
tests_unit_test_hardening_SOURCES = tests/unit/test_hardening.c
tests_unit_test_hardening_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_hardening_LDADD = $(UNIT_LDADD)
endif
