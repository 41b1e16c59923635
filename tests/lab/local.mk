# Lab integration tests: the real ntrace in network namespaces (tests/lab/).
# They need root; without it they skip (77), or fail with
# NTRACE_LAB_REQUIRED=1.  linkem is the TUN link emulator they build on.
check_PROGRAMS += tests/lab/linkem
tests_lab_linkem_SOURCES = tests/lab/linkem.c
tests_lab_linkem_CFLAGS = $(AM_CFLAGS) -O2
tests_lab_linkem_LDADD = -lm

lab_tests = \
	tests/lab/lab_topology.sh \
	tests/lab/lab_features.sh \
	tests/lab/lab_delay.sh \
	tests/lab/lab_leak.sh
TESTS += $(lab_tests)
EXTRA_DIST += $(lab_tests) tests/lab/lab.sh tests/lab/lib.sh \
	tests/lab/demo.sh tests/lab/README.md
