#!/usr/bin/env bash
# Several targets in one run: two IPv4 and one IPv6 target, each probed
# with ICMP, UDP and TCP, come back in one JSON document in the order
# given (protocols in the order icmp, udp, tcp within a target), each with
# its exact path. A blackholed and a prohibited target next to the real
# destination leave the healthy traces' statistics exact.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst[listen=80]" || lab_error "lab_up failed"
d4=$(lab_addr dst 4)
d6=$(lab_addr dst 6)
r2=$(lab_addr r2 4)
path_d4=$(lab_hops 4 | tr '\n' ' ')
path_d6=$(lab_hops 6 | tr '\n' ' ')
path_r2=$(lab_hops 4 | head -2 | tr '\n' ' ')

# check_order JSON TARGET...: the traces are TARGET x (icmp udp tcp).
check_order() {
	local out=$1 want= t p
	shift
	for t in "$@"; do
		for p in icmp udp tcp; do
			want+="$t/$p "
		done
	done
	assert_eq "$want" "$(jq_py "''.join(t['target'] + '/' + t['protocol'] + ' ' for t in d['traces'])" <<<"$out")" \
	    "traces in the order given: $*"
}

# check_path JSON INDEX PATH WHAT
check_path() {
	assert_eq "$3" "$(json_hops "$2" <<<"$1" | tr '\n' ' ')" "$4: path"
	assert_eq True "$(jq_py "d['traces'][$2]['reached']" <<<"$1")" "$4: reached"
}

for order in "$d4 $r2 $d6" "$d6 $d4 $r2"; do
	# shellcheck disable=SC2086
	set -- $order
	out=$(nt -j -c 3 -i 0.2 --protocol icmp,udp,tcp -P 80 "$@") || fail "ntrace exited $?"
	check_order "$out" "$@"
	i=0
	for t in "$@"; do
		case $t in
		"$d4") want=$path_d4 ;;
		"$d6") want=$path_d6 ;;
		*) want=$path_r2 ;;
		esac
		for p in icmp udp tcp; do
			check_path "$out" "$i" "$want" "$t $p"
			i=$((i + 1))
		done
	done
	assert_eq 3 "$(jq_py "d['ntrace']['cycles']" <<<"$out")" "cycles"
	note "order $order: every path exact"
done

# 10.77.98.0/24 ends in a blackhole at r2, 10.77.99.0/24 is prohibited there.
lab_exec src ip route add 10.77.98.0/23 via 10.77.1.2
lab_exec r1 ip route add 10.77.98.0/23 via 10.77.2.2
lab_exec r2 ip route add blackhole 10.77.98.0/24
lab_exec r2 ip route add prohibit 10.77.99.0/24
out=$(nt -j -c 6 -i 0.2 --protocol icmp,tcp -P 80 10.77.98.1 "$d4" 10.77.99.1) ||
	fail "ntrace exited $?"
assert_eq "10.77.98.1 10.77.98.1 $d4 $d4 10.77.99.1 10.77.99.1" \
    "$(jq_py "' '.join(t['target'] for t in d['traces'])" <<<"$out")" "unreachable run: order"
for i in 2 3; do
	check_path "$out" "$i" "$path_d4" "healthy trace $i next to unreachable ones"
	# Exact counts: every probe of every round, every one answered.
	assert_eq "6/6/0.0 6/6/0.0 6/6/0.0" \
	    "$(jq_py "' '.join('%d/%d/%s' % (h['sent'], h['received'], h['loss_pct']) for h in d['traces'][$i]['hops'])" <<<"$out")" \
	    "healthy trace $i: sent/received/loss per hop"
done
for i in 0 1; do
	assert_eq False "$(jq_py "d['traces'][$i]['reached']" <<<"$out")" "blackhole trace $i: not reached"
	assert_eq "$(lab_hops 4 | head -1) *" \
	    "$(json_hops "$i" <<<"$out" | head -2 | tr '\n' ' ' | sed 's/ $//')" \
	    "blackhole trace $i: r1, then silence"
done
# The kernel answers a prohibit route at most 5 times at once, then once a
# second per source (ip_error(); net.ipv4.route.error_cost is not per
# namespace): the two prohibited traces share those answers, so each may
# miss some, but neither goes past r2 and together they hear its !X.
for i in 4 5; do
	assert_eq False "$(jq_py "d['traces'][$i]['reached']" <<<"$out")" "prohibited trace $i: not reached"
	assert_match "^$(lab_hops 4 | head -1 | sed 's/\./\\./g') (${r2//./\\.}|\*) $" \
	    "$(json_hops "$i" <<<"$out" | head -2 | tr '\n' ' ')" "prohibited trace $i: r1, then r2 at most"
done
assert_match prohibited \
    "$(jq_py "[h['unreachable'] for t in d['traces'][4:6] for h in t['hops'] if h['unreachable']]" <<<"$out")" \
    "prohibited traces: r2 says why"
note "blackholed and prohibited targets leave $d4 exact"
lab_down
exit 0
