# Faults during a live run, in the lab (tests/lab/fault_*.sh): a link
# down and up, the source's route removed and restored, the destination
# vanishing, wall-clock steps, SIGSTOP/SIGCONT, a closed --stream pipe and
# running out of descriptors; and a report run under valgrind.
# Root is needed, else they skip (77). tests/lab/soak.sh is run by hand.
fault_tests = \
	tests/lab/fault_link.sh \
	tests/lab/fault_route.sh \
	tests/lab/fault_dst.sh \
	tests/lab/fault_clock.sh \
	tests/lab/fault_stop.sh \
	tests/lab/fault_proc.sh \
	tests/lab/valgrind_report.sh
TESTS += $(fault_tests)
EXTRA_DIST += $(fault_tests) tests/lab/fault_lib.sh tests/lab/soak.sh

# LD_PRELOAD shim for fault_clock.sh: steps CLOCK_REALTIME as ntrace sees
# it, never the machine's clock. Built without AM_CFLAGS so a sanitizer
# build does not link a second runtime into it.
check_PROGRAMS += tests/lab/clockstep.so
tests_lab_clockstep_so_SOURCES = tests/lab/clockstep.c
tests_lab_clockstep_so_CFLAGS = -fPIC
tests_lab_clockstep_so_LDFLAGS = -shared
tests_lab_clockstep_so_LDADD = -ldl
CLEANFILES += tests/lab/clockstep.so
