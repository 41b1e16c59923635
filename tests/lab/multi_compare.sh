#!/usr/bin/env bash
# ICMP against TCP to one target, in the reports: with ICMP echo dropped
# at the destination and a listener on port 80, --protocol icmp,tcp -P 80
# gives two traces of the same path where only TCP reaches; the text
# report's COMPARE block and the JSON "comparisons" member say so, and
# flag the loss at the destination's TTL. On a clean destination the two
# agree and no loss difference is claimed.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst[drop_echo,listen=80]" || lab_error "lab_up failed"
dst=$(lab_addr dst 4)
hops=$(lab_hops 4 | tr '\n' ' ')
r1=$(lab_hops 4 | sed -n 1p)
r2=$(lab_hops 4 | sed -n 2p)

out=$(nt -j -c 10 -i 0.1 --protocol icmp,tcp -P 80 "$dst") || fail "ntrace -j exited $?"
assert_eq "2" "$(jq_py "len(d['traces'])" <<<"$out")" "two traces"
assert_eq "icmp tcp" "$(jq_py "' '.join(t['protocol'] for t in d['traces'])" <<<"$out")" \
    "ICMP first, then TCP"
assert_eq "None 80" "$(jq_py "' '.join(str(t['port']) for t in d['traces'])" <<<"$out")" "ports"
assert_eq "False True" "$(jq_py "' '.join(str(t['reached']) for t in d['traces'])" <<<"$out")" \
    "ICMP does not reach, TCP does"
assert_eq "$hops" "$(json_hops 1 <<<"$out" | tr '\n' ' ')" "TCP: the exact path"
assert_eq "$r1 $r2 *" "$(json_hops 0 <<<"$out" | head -3 | tr '\n' ' ' | sed 's/ $//')" \
    "ICMP: the same routers, then silence"
assert_eq "[0, 1]" "$(jq_py "str(d['comparisons'][0]['traces'])" <<<"$out")" "compared traces"
assert_eq "None" "$(jq_py "d['comparisons'][0]['diverge']" <<<"$out")" "paths do not diverge"
assert_eq "[1]" "$(jq_py "str(d['comparisons'][0]['reached'])" <<<"$out")" "reached: TCP"
assert_eq "[0]" "$(jq_py "str(d['comparisons'][0]['not_reached'])" <<<"$out")" "not reached: ICMP"
# TTLs 1-3 are in both traces: three tests; only TTL 3 differs, 100% vs 0%.
assert_eq "3" "$(jq_py "d['comparisons'][0]['loss_tests']" <<<"$out")" "loss tests"
assert_eq "3 [0, 1] [100.0, 0.0]" \
    "$(jq_py "' '.join(str(x) for l in d['comparisons'][0]['loss_differs'] for x in (l['ttl'], l['traces'], l['loss_pct']))" <<<"$out")" \
    "loss differs at TTL 3 only"
assert_eq "True" "$(jq_py "d['comparisons'][0]['loss_differs'][0]['p'] < 1e-4" <<<"$out")" \
    "p-value of 10+ lost against 10 answered"

out=$(nt -r -c 10 -i 0.1 --icmp -T -P 80 "$dst") || fail "ntrace -r exited $?"
assert_match "TRACE 1: $dst \($dst\) icmp IPv4" "$out" "--icmp -T: trace 1 is ICMP"
assert_match "TRACE 2: $dst \($dst\) tcp port 80 IPv4" "$out" "--icmp -T: trace 2 is TCP"
summary=$(sed -n '/^COMPARE /,$p' <<<"$out")
assert_match "^COMPARE $dst \($dst\): TRACE 1 icmp, TRACE 2 tcp:80" "$summary" "COMPARE header"
assert_match "paths: +the same at every TTL where they answer" "$summary" "text: paths"
assert_match "reached: +tcp:80 at TTL 3" "$summary" "text: TCP reaches"
assert_match "not reached: icmp" "$summary" "text: ICMP does not"
assert_match "loss: +differs at TTL 3: icmp 100\.0% \([0-9]+ of [0-9]+\), tcp:80 0\.0% \(0 of 10\)" \
    "$summary" "text: loss at TTL 3"
note "$summary"

# A destination that answers both: nothing differs.
out=$(nt -j -c 5 -i 0.1 --protocol icmp,tcp -P 80 "$(lab_addr r2 4)") || fail "ntrace exited $?"
assert_eq "[0, 1] [] None" \
    "$(jq_py "' '.join(str(x) for x in (d['comparisons'][0]['reached'], d['comparisons'][0]['loss_differs'], d['comparisons'][0]['diverge']))" <<<"$out")" \
    "r2 over ICMP and TCP: both reach, no difference"
# One trace per target: no comparisons member at all.
out=$(nt -j -c 1 -i 0.1 "$dst" "$(lab_addr r2 4)") || fail "ntrace exited $?"
assert_eq "False" "$(jq_py "'comparisons' in d" <<<"$out")" "no comparisons without two traces of a target"
lab_down
exit 0
