# Lab tests of several traces in one run: ICMP against TCP compared in the
# reports and the live view, several targets in order, unreachable
# targets next to healthy ones, and 66 traces at -i 1 (tests/lab/multi_*.sh).
multi_tests = \
	tests/lab/multi_compare.sh \
	tests/lab/multi_targets.sh \
	tests/lab/multi_scale.sh \
	tests/lab/multi_ui.sh
TESTS += $(multi_tests)
EXTRA_DIST += $(multi_tests)
