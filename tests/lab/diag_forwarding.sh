#!/usr/bin/env bash
# Loss diagnosis, forwarding loss: 15% per direction on link 4 of a 5-hop
# path (r3 - r4) loses ~28% of the probes to hops 4 and 5 (a probe and its
# reply both cross it): hop 4 is "forwarding", hop 5 "inherited", hops 1-3
# have no verdict, and the text report says where the loss starts.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - r3 -[loss=15%,seed=11]- r4 - dst" ||
	lab_error "lab_up failed"
assert_eq "4" "$(lab_link r3 r4)" "the lossy link's number"

n=400
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	out=$(nt -j -n -c "$n" -i 0.05 "$dst") || fail "ntrace exited $?"
	assert_eq "$(lab_hops "$fam" | tr '\n' ' ')" \
	    "$(json_hops <<<"$out" | tr '\n' ' ')" "IPv$fam hops"
	kinds=$(jq_py "' '.join(str(h['loss_kind']) for h in d['traces'][0]['hops'])" <<<"$out")
	# Equal true loss at hops 4 and 5: a second "forwarding" at hop 5
	# needs Fisher p < 1e-3, so this fails by chance at most ~1e-3.
	assert_eq "None None None forwarding inherited" "$kinds" "IPv$fam loss kinds"
	for i in 3 4; do
		sent=$(jq_py "d['traces'][0]['hops'][$i]['sent']" <<<"$out")
		recv=$(jq_py "d['traces'][0]['hops'][$i]['received']" <<<"$out")
		assert_binomial "$((sent - recv))" "$sent" 0.2775 "IPv$fam hop $((i + 1)) loss"
	done

	txt=$(nt -r -n -c 300 -i 0.05 "$dst") || fail "ntrace -r exited $?"
	assert_match "Diagnosis: loss starts at hop 4 \\($(lab_addr r4 "$fam")\\) and carries to the destination: [0-9]+% ± [0-9]+%" \
	    "$txt" "IPv$fam text diagnosis"
	[[ $txt != *"rate-limits"* ]] || fail "IPv$fam: text report claims rate limiting: $txt"
done
lab_down
exit 0
