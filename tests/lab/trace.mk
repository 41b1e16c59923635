# Lab tests of the tracer itself: paths, statistics, unreachables,
# concurrent runs, privileges (tests/lab/trace_*.sh).
trace_tests = \
	tests/lab/trace_paths.sh \
	tests/lab/trace_stats.sh \
	tests/lab/trace_unreach.sh \
	tests/lab/trace_concurrent.sh \
	tests/lab/trace_privs.sh \
	tests/lab/trace_grace.sh
TESTS += $(trace_tests)
EXTRA_DIST += $(trace_tests) tests/lab/trace_lib.sh
