#!/usr/bin/env bash
# A report run under valgrind: no invalid read or write, no use of
# uninitialised memory, no leak (definite or possible), in the engine
# thread, the resolver or the report. Probes only 127.0.0.1 and ::1.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lab/lib.sh"
lab_require_ntrace
((EUID == 0)) || lab_skip "raw probes need root; run: sudo make check"
command -v valgrind >/dev/null 2>&1 ||
	lab_skip "valgrind is not installed (apt-get install valgrind)"
if nm -D "$NTRACE" 2>/dev/null | grep -q __asan_init; then
	# Not a lab requirement: this build has its own memory checker.
	echo "$LAB_TEST: SKIP: ntrace is built with AddressSanitizer, which valgrind cannot run" >&2
	exit 77
fi
log=$(mktemp "${TMPDIR:-/tmp}/ntrace-vg.XXXXXX")
bin=$NTRACE
trap 'rm -f "$log" "$log.bin"' EXIT
# Valgrind before 3.20 cannot read DWARF 5 debug info (gcc 11+ writes it):
# then check a copy without debug info, which loses only line numbers.
valgrind -q --log-file="$log" "$NTRACE" -v >/dev/null 2>&1
if grep -q "debuginfo reader\|unhandled dwarf" "$log"; then
	command -v objcopy >/dev/null 2>&1 ||
		lab_skip "valgrind cannot read ntrace's DWARF 5 and objcopy is missing"
	objcopy --strip-debug "$NTRACE" "$log.bin" || lab_error "objcopy failed"
	bin=$log.bin
	note "valgrind $(valgrind --version) cannot read DWARF 5: checking a copy without debug info"
fi
for args in "-r -c 3 127.0.0.1" "-j -n -c 3 -T -P 9 ::1" "--stream -n -c 2 -u 127.0.0.1 ::1"; do
	# shellcheck disable=SC2086
	valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,possible \
	    --log-file="$log" "$bin" $args >/dev/null 2>&1
	rc=$?
	if ((rc != 0)); then
		cat "$log" >&2
		fail "valgrind ntrace $args: exit $rc"
	fi
	note "valgrind ntrace $args: clean"
done
exit 0
