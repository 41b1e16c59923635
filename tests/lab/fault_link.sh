#!/usr/bin/env bash
# A link on the path goes down for 2 s and comes back during a live run:
# the destination stops answering (loss, or an unreachable from the router
# that lost its route), then answers again without any help.
. "${top_srcdir:-.}/tests/lab/fault_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst" || lab_error "lab_up failed"
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	fault_start --stream -n -i 0.1 -c 80 -Z 0.5 "$dst"
	fault_wait_probes 60
	lab_link_down 2
	sleep 2
	lab_link_up 2 || lab_error "lab_link_up failed"
	fault_wait 30
	((fault_rc == 0)) || fail "IPv$fam: ntrace exited $fault_rc: $(head -c 300 "$FAULT_ERR")"
	mapfile -t rounds < <(fault_rounds 3)
	((${#rounds[@]} >= 70)) || fail "IPv$fam: only ${#rounds[@]} rounds of TTL 3 reported"
	# At -i 0.1 a 2 s outage is about 20 rounds; at least 10 in a row lost.
	lost=$(printf '%s\n' "${rounds[@]}" | awk '$2 != "reached" { run++; if (run > max) max = run; next } { run = 0 } END { print max + 0 }')
	((lost >= 10)) || fail "IPv$fam: the outage shows as only $lost rounds without the destination"
	tail_ok=$(printf '%s\n' "${rounds[@]}" | tail -15 | awk '$2 == "reached"' | wc -l)
	((tail_ok == 15)) || fail "IPv$fam: not recovered: $tail_ok of the last 15 rounds reached"
	fault_assert_rtts 1000
	note "IPv$fam: $lost rounds lost during the outage, recovered"
done
lab_down
exit 0
