#!/usr/bin/env bash
# -Z and -G: on a 600 ms round trip, a 0.2 s timeout loses every probe, and
# -G 1.5 lets the last round of the report wait for the late answers.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src -[delay=300ms]- dst" || lab_error "lab_up failed"
dst=$(lab_addr dst 4)
out=$(nt -j -c 1 -Z 0.2 --retries 0 "$dst") || fail "ntrace exited $?"
assert_eq 0 "$(jq_py "d['traces'][0]['hops'][0]['received']" <<<"$out")" \
    "-Z 0.2 on a 600 ms path: the reply comes too late"
out=$(nt -j -c 1 -Z 0.2 -G 1.5 --retries 0 "$dst") || fail "ntrace exited $?"
assert_eq 1 "$(jq_py "d['traces'][0]['hops'][0]['received']" <<<"$out")" \
    "-G 1.5: the last round waits for it"
assert_between 590 700 "$(jq_py "d['traces'][0]['hops'][0]['avg_ms']" <<<"$out")" \
    "-G 1.5: its RTT"
lab_down
exit 0
