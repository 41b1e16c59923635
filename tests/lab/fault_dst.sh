#!/usr/bin/env bash
# The destination vanishes mid-run (its address is removed) and comes back:
# the routers stay on the path, the destination stops answering (r2 may
# report it unreachable once neighbour discovery gives up), nothing
# crashes, and once the address is back the trace reaches it again.
. "${top_srcdir:-.}/tests/lab/fault_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst" || lab_error "lab_up failed"
for fam in 4 6; do
	if [[ $fam == 4 ]]; then
		addr=10.77.3.2 plen=24 back=(10.77.0.0/16 via 10.77.3.1)
	else
		addr=fd77:3::2 plen=64 back=(fd77::/16 via fd77:3::1)
	fi
	fault_start --stream -n -i 0.1 -c 100 -Z 0.5 "$addr"
	fault_wait_probes 60
	lab_exec dst ip "-$fam" addr del "$addr/$plen" dev ln3
	sleep 4
	lab_exec dst ip "-$fam" addr add "$addr/$plen" dev ln3 nodad 2>/dev/null ||
		lab_exec dst ip "-$fam" addr add "$addr/$plen" dev ln3
	lab_exec dst ip "-$fam" route replace "${back[@]}"
	fault_wait 40
	((fault_rc == 0)) || fail "IPv$fam: ntrace exited $fault_rc: $(head -c 300 "$FAULT_ERR")"
	mapfile -t rounds < <(fault_rounds 3)
	lost=$(printf '%s\n' "${rounds[@]}" | awk '$2 != "reached" { run++; if (run > max) max = run; next } { run = 0 } END { print max + 0 }')
	((lost >= 20)) || fail "IPv$fam: the vanished destination shows as only $lost rounds not reached"
	tail_ok=$(printf '%s\n' "${rounds[@]}" | tail -10 | awk '$2 == "reached"' | wc -l)
	((tail_ok == 10)) || fail "IPv$fam: not recovered: $tail_ok of the last 10 rounds reached"
	# Hops 1 and 2 answered throughout.
	for ttl in 1 2; do
		bad=$(fault_rounds "$ttl" | awk '$2 == "timeout"' | wc -l)
		((bad <= 2)) || fail "IPv$fam: hop $ttl lost $bad rounds while only the destination was gone"
	done
	fault_assert_rtts 1000
	note "IPv$fam: $lost rounds without the destination, recovered"
done
lab_down
exit 0
