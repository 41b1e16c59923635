#!/usr/bin/env bash
# The compare view in the live display: ICMP echo dropped at the
# destination, TCP to a listener on port 80. v shows the two traces side
# by side, marks TTL 3 (silent for ICMP, the destination for TCP), says
# TCP reaches and ICMP does not; Tab and d still work around it.
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
. "$top_srcdir/tests/lab/lab.sh"
lab_up "src - r1 - r2 - dst[drop_echo,listen=80]" || lab_skip "cannot build the lab"
trap 'ui_cleanup; lab_down' EXIT

dst=$(lab_addr dst 4)
mapfile -t hops < <(lab_hops 4)
UI_WRAP="ip netns exec $(lab_ns src)"
re() { echo "$1" | sed 's/\./\\./g'; }

ui_start 120 30 -n -i 0.2 --protocol icmp,tcp -P 80 "$dst"
# The header names the active trace and how many there are.
ui_wait 3 "^\[1/2\] ntrace to $(re "$dst")" || ui_fail "no [1/2] header"
ui_wait 3 '^ICMP IPv4' || ui_fail "trace 1 is not ICMP"
ui_keys Tab
ui_wait 3 "^\[2/2\] ntrace to $(re "$dst")" || ui_fail "Tab did not switch to trace 2"
ui_wait 3 '^TCP:80 IPv4' || ui_fail "trace 2 is not TCP:80"
ui_wait 3 "^ +3\. $(re "$dst") " || ui_fail "TCP never reached $dst"
ui_keys Tab
ui_wait 3 '^ICMP IPv4' || ui_fail "Tab did not go back to trace 1"

# v: both traces side by side, aligned by TTL.
ui_keys v
ui_wait 3 '^TTL +ICMP +Loss% +Avg +Last +TCP:80 +Loss% +Avg +Last' ||
	ui_fail "no compare titles after v"
ui_wait 3 "^ +1\.  +$(re "${hops[0]}") .* $(re "${hops[0]}") " ||
	ui_fail "TTL 1 not the same router in both"
ui_wait 3 "^ +2\.  +$(re "${hops[1]}") .* $(re "${hops[1]}") " ||
	ui_fail "TTL 2 not the same router in both"
# TTL 3: ICMP silent (100% loss), TCP at the destination (0%), marked.
ui_wait 5 "^ +3\.! +\?\?\? +100\.0% .* $(re "$dst") +0\.0%" ||
	ui_fail "TTL 3 not marked as differing"
ui_wait 5 '^Reached: TCP:80 at TTL 3   Not reached: ICMP' ||
	ui_fail "the view does not say TCP reaches and ICMP does not"
ui_wait 5 '^Paths: the same where they answer' || ui_fail "paths line"
ui_wait 10 '^Loss differs at TTL 3: ICMP 100\.0%, TCP:80 0\.0%' ||
	ui_fail "loss difference at TTL 3 not shown"
# The ICMP-only TTLs past 3 are not marked: TCP ended there.
ui_screen | grep -Eq '^ +4\.!' && ui_fail "TTL 4 marked with only ICMP there"

# v again: back to the table; d cycles through compare as well.
ui_keys v
ui_wait 3 '^TTL +Host' || ui_fail "v did not return to the table"
ui_keys d d d
ui_wait 3 '^TTL +ICMP +Loss%' || ui_fail "d did not reach the compare view"
ui_keys d
ui_wait 3 '^TTL +Host' || ui_fail "d after compare did not return to the table"

ui_keys '?'
ui_wait 2 'd / v +next view / compare protocols' || ui_fail "help lacks v"
ui_keys Escape

ui_keys q
rc=$(ui_wait_exit 3) || ui_fail "q did not exit"
[ "$rc" = 0 ] || ui_fail "q exited $rc"
ui_check_restored || ui_fail "terminal not restored"

# A single trace: v says there is nothing to compare and stays put.
UI_SESSION=ui2
rm -f "$UI_DIR/rc" "$UI_DIR/stty"
ui_start 100 30 -n -i 0.2 "$dst"
ui_wait 3 '^TTL +Host' || ui_fail "no table"
ui_keys v
ui_wait 3 'compare: this target has one trace' || ui_fail "v on one trace"
ui_screen | grep -Eq '^TTL +ICMP +Loss%' && ui_fail "compare view with one trace"
ui_keys q
rc=$(ui_wait_exit 3) || ui_fail "q did not exit"
echo "PASS"
exit 0
