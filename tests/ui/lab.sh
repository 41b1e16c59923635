#!/usr/bin/env bash
# The display on a lab path with an ECMP stage (src - r1 - {ra|rb} - r3 -
# dst, 5 ms on the r1 links when linkem is built): every hop within 3 s, live rows, u/t/f/m
# acted on by the engine, the detail view, and ECMP responders as extra
# lines with --vary-flow. Probes stay inside the lab's namespaces.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/ui/lib.sh"
ui_require_root

lab_skip() {
	if [ "${NTRACE_LAB_REQUIRED:-0}" = 1 ]; then
		echo "FAIL: $*"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
command -v ip >/dev/null 2>&1 || lab_skip "no ip(8)"
[ -f "$top_srcdir/tests/lab/lab.sh" ] || lab_skip "no tests/lab/lab.sh"
. "$top_srcdir/tests/lab/lab.sh"
# The delay needs linkem (a TUN link); plain veth links do without it.
link="-[delay=5ms]-"
[ -x "$LAB_LINKEM" ] || link="-"
lab_up "src - r1 $link {ra|rb} - r3 - dst" || lab_skip "cannot build the lab"
trap 'ui_cleanup; lab_down' EXIT

dst=$(lab_addr dst 4)
mapfile -t hops < <(lab_hops 4)
UI_WRAP="ip netns exec $(lab_ns src)"

# ui_row TTL ALTERNATIVES: the EGREP for a hop row with one of the addresses.
ui_row() {
	echo "^ +$1\. ($(echo "$2" | sed 's/\./\\./g')) "
}

ui_start 100 30 -n -i 0.2 "$dst"
for i in "${!hops[@]}"; do
	ui_wait 3 "$(ui_row $((i + 1)) "${hops[i]}")" ||
		ui_fail "hop $((i + 1)) (${hops[i]}) not on screen within 3 s"
done
s1=$(ui_field 4 4)
ui_wait_field_gt 3 4 4 "$s1" || ui_fail "hop 4 Snt did not grow from $s1"

# u and t switch protocols (mtr's toggles), and the path comes back.
ui_keys u
ui_wait 3 '^UDP:33434 IPv4' || ui_fail "u did not switch to UDP"
ui_wait 3 "$(ui_row 4 "$dst")" || ui_fail "no destination row over UDP"
ui_keys t
ui_wait 3 '^TCP:80 IPv4' || ui_fail "t did not switch to TCP"
ui_wait 3 "$(ui_row 4 "$dst")" || ui_fail "no destination row over TCP"
ui_keys t
ui_wait 3 '^ICMP IPv4' || ui_fail "t again did not go back to ICMP"
ui_wait 3 "$(ui_row 4 "$dst")" || ui_fail "no destination row over ICMP"

# m 3 stops the path at TTL 3; f 2 starts it at TTL 2.
ui_keys m 3 Enter
ui_wait 3 "$(ui_row 3 "${hops[2]}")" || ui_fail "no hop 3 after m 3"
ui_wait_not 3 '^ +4\. ' || ui_fail "hop 4 still shown after m 3"
ui_keys m 3 0 Enter
ui_wait 3 "$(ui_row 4 "$dst")" || ui_fail "hop 4 not back after m 30"
ui_keys f 2 Enter
ui_wait 3 "$(ui_row 2 "${hops[1]}")" || ui_fail "no hop 2 after f 2"
ui_wait_not 3 '^ +1\. ' || ui_fail "hop 1 still shown after f 2"
ui_keys f 1 Enter
ui_wait 3 "$(ui_row 1 "${hops[0]}")" || ui_fail "hop 1 not back after f 1"

# The detail view of hop 2.
ui_keys Down Down Enter
ui_wait 3 '^Hop 2 of 1\.\.4' || ui_fail "no detail of hop 2"
ui_wait 3 "^  1\. (${hops[1]//./\\.})" || ui_fail "detail lacks the responder"
ui_keys Escape

ui_keys q
rc=$(ui_wait_exit 3) || ui_fail "q did not exit"
[ "$rc" = 0 ] || ui_fail "q exited $rc"
ui_check_restored || ui_fail "terminal not restored"

# UDP with --vary-flow spreads probes over both ECMP routers: both show at hop 2,
# the second as an extra line under it.
UI_SESSION=ui2
rm -f "$UI_DIR/rc" "$UI_DIR/stty"
ui_start 100 30 -n -u -i 0.1 --vary-flow "$dst"
IFS='|' read -r a b <<<"${hops[1]}"
ui_wait 8 "^ +(2\. +)?${a//./\\.}( |$)" || ui_fail "ECMP router $a never shown"
ui_wait 8 "^ +(2\. +)?${b//./\\.}( |$)" || ui_fail "ECMP router $b never shown"
ui_keys q
rc=$(ui_wait_exit 3) || ui_fail "q did not exit"
echo "PASS"
exit 0
