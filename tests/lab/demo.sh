#!/usr/bin/env bash
# demo.sh: trace a realistic 10-hop path built in network namespaces.
#
#   sudo tests/lab/demo.sh [NTRACE ARGS...]      e.g.  demo.sh -r -c 5
#   sudo DEMO_FAMILY=6 tests/lab/demo.sh           trace the IPv6 path
#   sudo DEMO_CMD="mtr -n -r -c 3" tests/lab/demo.sh   another tracer
#
# The path: 1, 3, 8 (5% loss), 15 (normal jitter, sd 2 ms) and 30 ms
# links, an ICMP-rate-limited router (r2), an ECMP pair (r4a|r4b), a
# silent router (r6) and a lab DNS server that names every hop <node>.lab.
# Everything is torn down on exit, Ctrl-C included.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir}
NTRACE=${NTRACE:-./ntrace}
[[ -x $NTRACE ]] || NTRACE=$top_builddir/ntrace
export top_srcdir top_builddir NTRACE
. "$top_srcdir/tests/lab/lib.sh"
# Here a missing capability is an error, not a skipped test.
NTRACE_LAB_REQUIRED=1
lab_require

DEMO_PATH="src -[delay=1ms]- r1 -[delay=3ms]- r2[icmp_ratelimit=1000]
 -[delay=8ms,loss=5%]- r3 -[delay=15ms,jitter=2ms,dist=normal]- {r4a|r4b}
 -[delay=1ms]- r5 -[delay=2ms]- r6[silent] -[delay=30ms]- r7 - r8
 -[delay=1ms]- r9 - dst[listen=80]"

lab_up "$(tr '\n' ' ' <<<"$DEMO_PATH")" || lab_error "could not build the demo lab"
if command -v dnsmasq >/dev/null; then
	lab_dns src auto || echo "demo: no lab DNS; names will not resolve" >&2
fi
dst=$(lab_addr dst "${DEMO_FAMILY:-4}")
echo "demo: lab $LAB_ID up, tracing $dst (dst.lab) from src; expected hops:" >&2
lab_hops "${DEMO_FAMILY:-4}" | nl -w3 -s'  ' >&2

if [[ -n ${DEMO_CMD:-} ]]; then
	read -r -a cmd <<<"$DEMO_CMD"
else
	[[ -x $NTRACE ]] || lab_error "ntrace is not built at $NTRACE (set NTRACE= or DEMO_CMD=)"
	cmd=("$NTRACE")
fi
lab_exec src "${cmd[@]}" "$@" "$dst"
rc=$?
lab_down
exit $rc
