#!/bin/sh
# The live display against loopback: the hop shows up within 3 s and its
# counts grow; p freezes them, space resumes, r resets, d changes the view,
# ? shows help, q exits 0 with the terminal restored.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/ui/lib.sh"
ui_require_root

ui_start 100 30 -n -i 0.2 127.0.0.1
ui_wait 3 '^ +1\. 127\.0\.0\.1 ' || ui_fail "hop 1 not on screen within 3 s"
ui_wait 3 '^ntrace to 127\.0\.0\.1' || ui_fail "no header naming the target"
ui_screen | grep -Eq '^ICMP IPv4 +raw' || ui_fail "header lacks protocol/family/back end"

# Live: Snt (the 4th word) grows.
s1=$(ui_field 1 4)
ui_wait_field_gt 3 1 4 "$s1" || ui_fail "Snt did not grow from $s1"

# p freezes the row: PAUSED shows, and Snt stays put for over a second.
ui_keys p
ui_wait 2 'PAUSED' || ui_fail "p did not pause"
sleep 0.5
p1=$(ui_field 1 4)
sleep 1.5
p2=$(ui_field 1 4)
[ "$p1" = "$p2" ] || ui_fail "Snt moved while paused ($p1 -> $p2)"

# space resumes.
ui_keys Space
ui_wait 2 'running' || ui_fail "space did not resume"
ui_wait_field_gt 3 1 4 "$p2" || ui_fail "Snt did not grow after resume"

# r resets: Snt drops back under what it was.
before=$(ui_field 1 4)
[ "$before" -ge 3 ] || ui_wait_field_gt 3 1 4 3 || ui_fail "Snt stays small"
before=$(ui_field 1 4)
ui_keys r
n=30
while [ $n -gt 0 ]; do
	now=$(ui_field 1 4)
	[ -n "$now" ] && [ "$now" -lt "$before" ] && break
	n=$((n - 1))
	sleep 0.1
done
[ $n -gt 0 ] || ui_fail "r did not reset Snt ($before -> $now)"

# d cycles table -> chart -> detail -> table.
ui_keys d
ui_wait 2 '^Scale:' || ui_fail "d did not show the chart"
ui_keys d
ui_wait 2 '^Hop 1 of 1' || ui_fail "d did not show the hop detail"
ui_screen | grep -Eq 'Responders \(1\)' || ui_fail "detail lacks responders"
ui_keys d
ui_wait 2 'Loss%' || ui_fail "d did not come back to the table"

# Enter opens the selected hop's detail, Esc comes back.
ui_keys Enter
ui_wait 2 '^Hop 1 of 1' || ui_fail "Enter did not open the detail"
ui_keys Escape
ui_wait 2 'Loss%' || ui_fail "Esc did not close the detail"

# j: mtr's jitter columns and back.
ui_keys j
ui_wait 2 'Jttr' || ui_fail "j did not show the jitter columns"
ui_keys j
ui_wait 2 'StDev' || ui_fail "j did not bring the latency columns back"

# o: a bad order is refused, a good one taken.
ui_keys o C-u Z Enter
ui_wait 2 "unknown field 'Z'" || ui_fail "o accepted a bad order"
ui_keys o C-u L R N Enter
ui_wait 2 'Loss% +Rcv +Last' || ui_fail "o did not apply LRN"

# ? shows help, Esc closes it.
ui_keys '?'
ui_wait 2 'Help: keys' || ui_fail "? did not show help"
ui_keys Escape
ui_wait_not 2 'Help: keys' || ui_fail "Esc did not close help"

ui_keys q
rc=$(ui_wait_exit 3) || ui_fail "q did not exit"
[ "$rc" = 0 ] || ui_fail "q exited $rc"
ui_check_restored || ui_fail "terminal not restored"
echo "PASS"
exit 0
