#!/usr/bin/env bash
# The source's own route to the lab is removed for 2 s and restored: sends
# fail (ENETUNREACH), the engine backs off (1 s, 2 s, ...: the outage is
# kept short so it never reaches the 30 s cap), the failure shows as a
# send_error event in the stream and the final report, and probing
# resumes by itself once the route is back (a send_ok event).
. "${top_srcdir:-.}/tests/lab/fault_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst" || lab_error "lab_up failed"
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	if [[ $fam == 4 ]]; then
		route=(10.77.0.0/16 via 10.77.1.2)
	else
		route=(fd77::/16 via fd77:1::2)
	fi
	fault_start --stream -n -i 0.1 -c 60 -Z 0.5 "$dst"
	fault_wait_probes 40
	lab_exec src ip "-$fam" route del "${route[@]}" || lab_error "route del failed"
	sleep 2
	lab_exec src ip "-$fam" route add "${route[@]}" || lab_error "route add failed"
	fault_wait 40
	((fault_rc == 0)) || fail "IPv$fam: ntrace exited $fault_rc: $(head -c 300 "$FAULT_ERR")"
	events=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d["type"] == "event":
        print(d["event"])' "$FAULT_OUT" | tr '\n' ' ')
	assert_match 'send_error.*send_ok' "$events" "IPv$fam: stream events"
	mapfile -t rounds < <(fault_rounds 3)
	tail_ok=$(printf '%s\n' "${rounds[@]}" | tail -10 | awk '$2 == "reached"' | wc -l)
	((tail_ok == 10)) || fail "IPv$fam: not recovered: $tail_ok of the last 10 rounds reached"
	fault_assert_rtts 1000
	[[ ! -s $FAULT_ERR ]] || fail "IPv$fam: stderr: $(head -c 300 "$FAULT_ERR")"
	note "IPv$fam: events: $events"
done
# The final JSON report keeps the failure in the trace's event log.
fault_start -j -n -i 0.1 -c 50 -Z 0.5 10.77.3.2
sleep 1
lab_exec src ip route del 10.77.0.0/16 via 10.77.1.2
sleep 1.5
lab_exec src ip route add 10.77.0.0/16 via 10.77.1.2
fault_wait 40
((fault_rc == 0)) || fail "JSON run exited $fault_rc"
ev=$(jq_py "[e['event'] for e in d['traces'][0]['events']]" <"$FAULT_OUT" | tr '\n' ' ')
assert_match 'send_error.*send_ok' "$ev" "JSON events"
assert_eq True "$(jq_py "d['traces'][0]['reached']" <"$FAULT_OUT")" "JSON: reached after recovery"
lab_down
exit 0
