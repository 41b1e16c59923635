#!/usr/bin/env bash
# Unreachables: a router with a "prohibit" route answers administratively
# prohibited, the hop records it, the path ends there and is not "reached";
# a blackholed destination is not reached either and its hops stay silent.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst" || lab_error "lab_up failed"
# 10.77.99.0/24 and fd77:99::/64 lead through r1 to r2, which refuses them.
lab_exec src ip route add 10.77.99.0/24 via 10.77.1.2
lab_exec src ip -6 route add fd77:99::/64 via fd77:1::2
lab_exec r1 ip route add 10.77.99.0/24 via 10.77.2.2
lab_exec r1 ip -6 route add fd77:99::/64 via fd77:2::2
lab_exec r2 ip route add prohibit 10.77.99.0/24
lab_exec r2 ip -6 route add prohibit fd77:99::/64
# 10.77.98.0/24 disappears into a blackhole at r2.
lab_exec src ip route add 10.77.98.0/24 via 10.77.1.2
lab_exec r1 ip route add 10.77.98.0/24 via 10.77.2.2
lab_exec r2 ip route add blackhole 10.77.98.0/24

for fam in 4 6; do
	[[ $fam == 4 ]] && target=10.77.99.1 || target=fd77:99::1
	for proto in --icmp --udp --tcp; do
		out=$(nt -j -c 2 -i 0.2 "$proto" "$target") || fail "ntrace exited $?"
		assert_eq "$(lab_hops "$fam" | head -2 | tr '\n' ' ')" \
		    "$(json_hops <<<"$out" | tr '\n' ' ')" "IPv$fam $proto: path ends at r2"
		assert_eq False "$(jq_py "d['traces'][0]['reached']" <<<"$out")" \
		    "IPv$fam $proto: not reached"
		assert_eq None "$(jq_py "d['traces'][0]['hops'][0]['unreachable']" <<<"$out")" \
		    "IPv$fam $proto: hop 1 forwards"
		assert_match "prohibited" "$(jq_py "d['traces'][0]['hops'][1]['unreachable']" <<<"$out")" \
		    "IPv$fam $proto: hop 2 says why"
	done
	out=$(nt -r -c 1 "$target") || fail "text report exited $?"
	assert_match '!X' "$out" "IPv$fam text report flags the hop"
done

out=$(nt -j -c 1 -Z 0.3 --retries 0 10.77.98.1) || fail "ntrace exited $?"
assert_eq False "$(jq_py "d['traces'][0]['reached']" <<<"$out")" "blackhole: not reached"
# A blackhole route drops before the TTL is checked: r2 itself is silent.
assert_eq "10.77.1.2 * * * * *" "$(json_hops <<<"$out" | tr '\n' ' ' | sed 's/ $//')" \
    "blackhole: r1 answers, then five silent TTLs past the last answer"
lab_down
exit 0
