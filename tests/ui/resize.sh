#!/bin/sh
# Resizing: at 60x15 and 40x10 the table keeps its hop rows and drops
# columns from the right; under 40x10 it says so; back at 100x30 every
# default column returns.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/ui/lib.sh"
ui_require_root

# Every line fits the width, so nothing wraps or breaks the layout. The
# sparkline glyphs are 3 bytes each, so count characters, not bytes.
check_width() {
	long=$(ui_screen | while IFS= read -r l; do
		c=$(printf '%s' "$l" | LC_ALL=C.UTF-8 wc -m)
		[ "$c" -gt "$1" ] && printf '%s\n' "$l"
	done)
	[ -z "$long" ] || ui_fail "lines wider than $1: $long"
}

ui_start 100 30 -n -i 0.2 127.0.0.1
ui_wait 3 '^ +1\. 127\.0\.0\.1 ' || ui_fail "hop 1 not on screen within 3 s"
ui_wait 2 'Loss% +Snt +Last +Avg +Best +Wrst +StDev' ||
	ui_fail "default columns missing at 100x30"

$UI_T resize-window -t "$UI_SESSION" -x 60 -y 15
ui_wait 2 'Loss% +Snt +Last +Avg +Best +History' ||
	ui_fail "no readable table at 60x15"
ui_screen | grep -q 'StDev' && ui_fail "StDev should be dropped at 60x15"
ui_wait 2 '^ +1\. 127\.0\.0\.1 +[0-9.]+% +[0-9]+ ' ||
	ui_fail "hop row unreadable at 60x15"
check_width 60
s1=$(ui_field 1 4)
ui_wait_field_gt 3 1 4 "$s1" || ui_fail "rows stopped updating at 60x15"

$UI_T resize-window -t "$UI_SESSION" -x 40 -y 10
ui_wait 2 'Loss% +Snt' || ui_fail "no table at 40x10"
ui_wait 2 '^ +1\. 127\.0\.0\.1 +[0-9.]+% +[0-9]+' || ui_fail "hop row unreadable at 40x10"
check_width 40

$UI_T resize-window -t "$UI_SESSION" -x 39 -y 10
ui_wait 2 'terminal too small \(need 40x10\)' || ui_fail "no too-small message"

$UI_T resize-window -t "$UI_SESSION" -x 100 -y 30
ui_wait 2 'Loss% +Snt +Last +Avg +Best +Wrst +StDev' ||
	ui_fail "columns did not come back at 100x30"

ui_keys q
rc=$(ui_wait_exit 3) || ui_fail "q did not exit"
[ "$rc" = 0 ] || ui_fail "q exited $rc"
ui_check_restored || ui_fail "terminal not restored"
echo "PASS"
exit 0
