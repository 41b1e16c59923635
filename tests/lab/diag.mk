# Lab tests of the loss diagnosis and the event log (tests/lab/diag_*.sh).
diag_tests = \
	tests/lab/diag_ratelimit.sh \
	tests/lab/diag_forwarding.sh \
	tests/lab/diag_events.sh
TESTS += $(diag_tests)
EXTRA_DIST += $(diag_tests)
