#!/usr/bin/env bash
# Loss diagnosis, rate limiting: a router that answers at most one probe a
# second (icmp_ratelimit=1000), probed 10 times a second, is "rate_limit";
# later hops lose nothing and no hop is "forwarding". The hop's measured
# reply rate is the evidence: about 1/s.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2[icmp_ratelimit=1000] - r3 - dst" ||
	lab_error "lab_up failed"

n=200
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	out=$(nt -j -n -c "$n" -i 0.1 "$dst") || fail "ntrace exited $?"
	assert_eq "$(lab_hops "$fam" | tr '\n' ' ')" \
	    "$(json_hops <<<"$out" | tr '\n' ' ')" "IPv$fam hops"
	kinds=$(jq_py "' '.join(str(h['loss_kind']) for h in d['traces'][0]['hops'])" <<<"$out")
	assert_eq "None rate_limit None None" "$kinds" "IPv$fam loss kinds"
	# The kernel allows a burst of 6, then 1/s over the ~20 s run: about
	# 26 of 200 answered. Far from both 0% and the others' 100%.
	recv=$(jq_py "d['traces'][0]['hops'][1]['received']" <<<"$out")
	assert_between 10 60 "$recv" "IPv$fam replies from the rate-limited hop"
	for i in 2 3; do
		assert_eq 0 "$(jq_py "d['traces'][0]['hops'][$i]['sent'] - d['traces'][0]['hops'][$i]['received']" <<<"$out")" \
		    "IPv$fam hop $((i + 1)) loses nothing"
	done
	rate=$(jq_py "d['traces'][0]['hops'][1]['reply_rate_per_s']" <<<"$out")
	assert_between 0.7 1.6 "$rate" "IPv$fam reply rate of the rate-limited hop"
	note "IPv$fam: hop 2 answered $recv of $n at $rate/s"

	# The text report names the hop and its cap, and claims no lost path.
	txt=$(nt -r -n -c 60 -i 0.1 "$dst") || fail "ntrace -r exited $?"
	assert_match "Diagnosis: hop 2 \\($(lab_addr r2 "$fam")\\) rate-limits its replies \\(answers ≤ [0-9.]+/s\\)" \
	    "$txt" "IPv$fam text diagnosis"
	[[ $txt != *"loss starts"* ]] || fail "IPv$fam: text report claims forwarding loss: $txt"
done
lab_down
exit 0
