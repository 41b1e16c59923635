#!/usr/bin/env bash
# Latency and loss on known links: each hop's median RTT matches the
# configured one-way delays within 1 ms, and the loss of a link dropping 10%
# in each direction fits the binomial spread of the probe count.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src -[delay=2ms]- r1 -[delay=5ms]- r2 -[loss=10%,seed=7]- dst" ||
	lab_error "lab_up failed"

n=300
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	out=$(nt -j -c "$n" -i 0.02 -Z 1 "$dst") || fail "ntrace exited $?"
	assert_eq "$(lab_hops "$fam" | tr '\n' ' ')" "$(json_hops <<<"$out" | tr '\n' ' ')" \
	    "IPv$fam hops"
	# Round trips cross each delayed link twice. The median is the hop's
	# latency (within 1 ms); the mean also carries a busy CPU's late wakeups.
	for i in 0 1 2; do
		want=$([[ $i == 0 ]] && echo 4 || echo 14)
		p50=$(jq_py "d['traces'][0]['hops'][$i]['p50_ms']" <<<"$out")
		avg=$(jq_py "d['traces'][0]['hops'][$i]['avg_ms']" <<<"$out")
		assert_between $((want - 1)) $((want + 1)) "$p50" \
		    "IPv$fam hop $((i + 1)) median RTT ($want ms configured)"
		assert_between $((want - 1)) $((want + 4)) "$avg" \
		    "IPv$fam hop $((i + 1)) mean RTT ($want ms configured)"
		note "IPv$fam hop $((i + 1)): median $p50 ms, mean $avg ms ($want configured)"
	done

	# Links without loss lose nothing.
	for i in 0 1; do
		assert_eq 0 "$(jq_py "d['traces'][0]['hops'][$i]['sent'] - d['traces'][0]['hops'][$i]['received']" <<<"$out")" \
		    "IPv$fam hop $((i + 1)) loses nothing"
	done
	sent=$(jq_py "d['traces'][0]['hops'][2]['sent']" <<<"$out")
	recv=$(jq_py "d['traces'][0]['hops'][2]['received']" <<<"$out")
	assert_eq "$n" "$sent" "IPv$fam probes sent to the destination"
	# A probe and its reply each cross the lossy link: p = 1 - 0.9^2.
	assert_binomial "$((sent - recv))" "$sent" 0.19 "IPv$fam destination loss"
done
lab_down
exit 0
