#!/usr/bin/env bash
# 66 traces in one process at -i 1: 11 IPv4 and 11 IPv6 destination
# addresses on the lab's dst, each probed with ICMP, UDP and TCP, for 8
# cycles, with the raw back end and the unprivileged one. Every trace must
# show its exact path, every hop exactly 8 probes sent and 8 answered (a
# missed round sends fewer, a crossed reply answers the wrong trace or
# shows the wrong address), and the run must keep to its schedule.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3 setpriv
lab_require_ntrace

N=11
CYCLES=8
lab_up "src - r1 - r2 - dst[listen=80]" || lab_error "lab_up failed"
r1_4=$(lab_hops 4 | sed -n 1p)
r2_4=$(lab_hops 4 | sed -n 2p)
r1_6=$(lab_hops 6 | sed -n 1p)
r2_6=$(lab_hops 6 | sed -n 2p)
# 10.77.200.0/24 and fd77:200::/64 live on dst; r1 and r2 route them on.
lab_exec r1 ip route add 10.77.200.0/24 via "$r2_4" || lab_error "route r1"
lab_exec r1 ip -6 route add fd77:200::/64 via "$r2_6" || lab_error "route r1 v6"
lab_exec r2 ip route add 10.77.200.0/24 via "$(lab_addr dst 4)" || lab_error "route r2"
lab_exec r2 ip -6 route add fd77:200::/64 via "$(lab_addr dst 6)" || lab_error "route r2 v6"
targets=()
for ((i = 1; i <= N; i++)); do
	lab_exec dst ip addr add "10.77.200.$i/32" dev lo || lab_error "addr"
	lab_exec dst ip addr add "fd77:200::$i/128" dev lo nodad || lab_error "addr v6"
	targets+=("10.77.200.$i" "fd77:200::$i")
done

# check WHAT JSON: every trace, every hop, exact.
check() {
	local what=$1 out=$2 bad
	assert_eq $((N * 2 * 3)) "$(jq_py "len(d['traces'])" <<<"$out")" "$what: traces"
	assert_eq "$CYCLES" "$(jq_py "d['ntrace']['cycles']" <<<"$out")" "$what: cycles"
	bad=$(R1_4=$r1_4 R2_4=$r2_4 R1_6=$r1_6 R2_6=$r2_6 python3 -c '
import json, os, sys
d = json.load(sys.stdin)
want_order = sys.argv[2:]
cycles = int(sys.argv[1])
got = [t["target"] + "/" + t["protocol"] for t in d["traces"]]
exp = [x + "/" + p for x in want_order for p in ("icmp", "udp", "tcp")]
if got != exp:
    print("order:", got[:6], "...")
for t in d["traces"]:
    fam = "6" if ":" in t["target"] else "4"
    path = [os.environ["R1_" + fam], os.environ["R2_" + fam], t["target"]]
    hops = [h["hosts"][0]["address"] if h["hosts"] else "*" for h in t["hops"]]
    name = t["target"] + "/" + t["protocol"]
    if hops != path or not t["reached"]:
        print(name, "path", hops, "reached", t["reached"])
    for h in t["hops"]:
        if h["sent"] != cycles or h["received"] != cycles:
            print(name, "ttl", h["ttl"], "sent", h["sent"], "received", h["received"])
        if len(h["hosts"]) != 1:
            print(name, "ttl", h["ttl"], "hosts", [x["address"] for x in h["hosts"]])
' "$CYCLES" "${targets[@]}" <<<"$out")
	[[ -z $bad ]] || fail "$what: $(head -20 <<<"$bad")"
	# On schedule: 8 rounds 1 s apart end a little after 7 s.
	assert_between 6.9 8.5 "$(jq_py "__import__('datetime').datetime.fromisoformat(d['ntrace']['finished'].replace('Z', '+00:00')).timestamp() - __import__('datetime').datetime.fromisoformat(d['ntrace']['started'].replace('Z', '+00:00')).timestamp()" <<<"$out")" \
	    "$what: run time in seconds"
	note "$what: $((N * 6)) traces, every hop $CYCLES of $CYCLES, in $(jq_py "d['ntrace']['started'] + ' .. ' + d['ntrace']['finished']" <<<"$out")"
}

out=$(nt -j -n -c "$CYCLES" -i 1 --protocol icmp,udp,tcp -P 80 "${targets[@]}") ||
	fail "raw: ntrace exited $?"
check raw "$out"
out=$(nt_unpriv -j -n -c "$CYCLES" -i 1 --protocol icmp,udp,tcp -P 80 "${targets[@]}") ||
	fail "unprivileged: ntrace exited $?"
check unprivileged "$out"
lab_down
exit 0
