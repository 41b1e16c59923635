#!/usr/bin/env bash
# ntrace is stopped (SIGSTOP) for 2 s and continued (SIGCONT), as a
# suspended job or a stalled VM would be: it carries on with the rounds,
# and no RTT grows by the time it was stopped (replies are stamped by the
# kernel when they arrive, not when ntrace reads them).
. "${top_srcdir:-.}/tests/lab/fault_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 -[delay=5ms]- r2 - dst" || lab_error "lab_up failed"
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	fault_start --stream -n -i 0.1 -c 80 "$dst"
	fault_wait_probes 45
	kill -STOP "$fault_pid"
	sleep 2
	kill -CONT "$fault_pid"
	fault_wait 40
	((fault_rc == 0)) || fail "IPv$fam: ntrace exited $fault_rc: $(head -c 300 "$FAULT_ERR")"
	# The stop happened: the stream's probe times show a gap of about 2 s.
	gap=$(python3 -c '
import json, sys, datetime
prev, most = None, 0.0
for line in open(sys.argv[1]):
    t = datetime.datetime.fromisoformat(json.loads(line)["time"].replace("Z", "+00:00"))
    if prev is not None:
        most = max(most, (t - prev).total_seconds())
    prev = t
print(int(most * 10))' "$FAULT_OUT")
	((gap >= 15)) || lab_error "IPv$fam: no gap in the stream: was ntrace stopped? (largest $((gap / 10)).$((gap % 10)) s)"
	mapfile -t rounds < <(fault_rounds 3)
	((${#rounds[@]} == 80)) || fail "IPv$fam: ${#rounds[@]} of 80 rounds reported"
	tail_ok=$(printf '%s\n' "${rounds[@]}" | tail -20 | awk '$2 == "reached"' | wc -l)
	((tail_ok == 20)) || fail "IPv$fam: $tail_ok of the last 20 rounds reached after SIGCONT"
	# About 10 ms through the 5 ms link (1 s allows for a loaded host); a
	# stop of 2 s must not show.
	fault_assert_rtts 1000
	lost=$(printf '%s\n' "${rounds[@]}" | awk '$2 != "reached"' | wc -l)
	note "IPv$fam: stopped for $((gap / 10)).$((gap % 10)) s; 80 rounds, $lost not reached"
done
lab_down
exit 0
