#!/usr/bin/env bash
# Latency and loss on known links: each hop's average RTT matches the
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
	# Round trips cross each delayed link twice.
	avg1=$(jq_py "d['traces'][0]['hops'][0]['avg_ms']" <<<"$out")
	avg2=$(jq_py "d['traces'][0]['hops'][1]['avg_ms']" <<<"$out")
	avg3=$(jq_py "d['traces'][0]['hops'][2]['avg_ms']" <<<"$out")
	assert_between 3 5 "$avg1" "IPv$fam hop 1 avg RTT (4 ms configured)"
	assert_between 13 15 "$avg2" "IPv$fam hop 2 avg RTT (14 ms configured)"
	assert_between 13 15 "$avg3" "IPv$fam hop 3 avg RTT (14 ms configured)"
	note "IPv$fam avg RTT: $avg1 $avg2 $avg3 ms"

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
