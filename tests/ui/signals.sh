#!/bin/sh
# SIGTERM and SIGINT end the display cleanly: the terminal is restored and
# the exit code says why (0 for an interrupt, 128 + 15 for SIGTERM).
# NO_COLOR and an ASCII locale must still draw the table.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/ui/lib.sh"
ui_require_root

ntrace_pid() {
	# The ntrace our own pane runs: the child of its shell.
	pane_pid=$($UI_T display-message -p -t "$UI_SESSION" '#{pane_pid}')
	pgrep -P "$pane_pid" -x ntrace | head -n 1
}

UI_LANG=C
export NO_COLOR=1
ui_start 80 20 -n -i 0.2 127.0.0.1
ui_wait 3 '^ +1\. 127\.0\.0\.1 ' || ui_fail "hop 1 not on screen within 3 s"
# ASCII fallback: the sparkline uses . , : - = + * # and no UTF-8 blocks.
ui_wait 3 '^ +1\. 127\.0\.0\.1 .* [.,:=+*#-]+$' || ui_fail "no ASCII sparkline"
pid=$(ntrace_pid)
[ -n "$pid" ] || ui_fail "cannot find the ntrace process"
kill -TERM "$pid"
rc=$(ui_wait_exit 3) || ui_fail "SIGTERM did not end ntrace"
[ "$rc" = 143 ] || ui_fail "SIGTERM exit code $rc, want 143"
ui_check_restored || ui_fail "terminal not restored after SIGTERM"

UI_SESSION=ui2
rm -f "$UI_DIR/rc" "$UI_DIR/stty"
UI_LANG=C.UTF-8
ui_start 80 20 -n -i 0.2 127.0.0.1
ui_wait 3 '^ +1\. 127\.0\.0\.1 ' || ui_fail "hop 1 not on screen within 3 s"
ui_keys C-c
rc=$(ui_wait_exit 3) || ui_fail "Ctrl-C did not end ntrace"
[ "$rc" = 0 ] || ui_fail "Ctrl-C exit code $rc, want 0"
ui_check_restored || ui_fail "terminal not restored after Ctrl-C"
echo "PASS"
exit 0
