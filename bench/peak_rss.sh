#!/usr/bin/env bash
# Peak RSS and CPU: ntrace against mtr (mtr-packet and mtr's other child
# included) for a 10-hop, 100-cycle report; then ntrace with 1, 8 and 64
# traces (targets x icmp,udp, IPv4 and IPv6) at -i 1 for CYCLES rounds,
# checking that no round was missed (every hop up to the destination
# sent exactly CYCLES probes).  Peak RSS is each process's VmHWM, polled
# every 50 ms and summed over the process tree.  Measures and prints;
# never asserts.  Needs root.  Usage:
#   sudo bench/peak_rss.sh [CYCLES]
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/bench_lib.sh"
cycles=${1:-30}
[[ $cycles =~ ^[1-9][0-9]*$ ]] || lab_error "CYCLES must be a positive integer"
bench_require mtr
bench_lab10 "${DELAY:-10ms}"
dst=$(lab_addr dst 4)

# Extra destination addresses on dst (10.77.250.N, fd77:250::N), routed
# by every router towards dst; src already routes 10.77/16 and fd77::/16.
for ((i = 1; i <= 16; i++)); do
	lab_exec dst ip addr add "10.77.250.$i/32" dev lo
	lab_exec dst ip addr add "fd77:250::$i/128" dev lo nodad
done
for ((i = 1; i <= 9; i++)); do
	lab_exec "r$i" ip route add 10.77.250.0/24 via "10.77.$((i + 1)).2"
	lab_exec "r$i" ip -6 route add fd77:250::/64 via "fd77:$((i + 1))::2"
done

# TRACES targets for a trace count: 1 = one ICMP target; else half the
# count in targets (half IPv4, half IPv6), each with icmp and udp.
targets() {
	local n=$1 i
	if ((n == 1)); then
		echo "10.77.250.1"
		return
	fi
	for ((i = 1; i <= n / 4; i++)); do
		printf '10.77.250.%s fd77:250::%s ' "$i" "$i"
	done
	echo
}

# "traces bad" from an ntrace JSON report: how many (trace, hop) pairs up
# to the destination sent other than CYCLES probes.
missed() {
	"$BENCH_PY" - "$1" "$2" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
want = int(sys.argv[2])
bad = []
for t in doc["traces"]:
    for h in t["hops"]:
        if h["sent"] != want:
            bad.append(f'{t["target"]}/{t["protocol"]}/ttl{h["ttl"]}:{h["sent"]}')
print(len(doc["traces"]), len(bad), " ".join(bad[:6]) + (" ..." if len(bad) > 6 else ""))
EOF
}

cpu_of() {
	awk -v u="$(bench_field "$1" user_s)" -v s="$(bench_field "$1" sys_s)" \
	    'BEGIN { printf "%.3f", u + s }'
}

echo "Peak RSS and CPU, 10-hop path (${DELAY:-10ms} per link)"
echo
echo "| run | peak RSS kB (sum of VmHWM) | per process kB | CPU s (user+sys) | wall s | command |"
echo "| --- | ---: | --- | ---: | ---: | --- |"
declare -A rss=()
for tool in ntrace mtr; do
	if [[ $tool == ntrace ]]; then
		cmd="$NTRACE -n -r -c 100 -i 0.1 $dst"
	else
		cmd="mtr -n -r -c 100 -i 0.1 $dst"
	fi
	# shellcheck disable=SC2086
	line=$(bench_run src "$BENCH_TMP/$tool.txt" 0.05 $cmd)
	rss[$tool]=$(bench_field "$line" hwm_kb)
	printf '| %s, 100 cycles | %s | %s | %s | %.2f | `%s` |\n' "$tool" "${rss[$tool]}" \
	    "$(bench_field "$line" hwm | sed 's/ntrace[^:]*:/ntrace:/; s/,/, /g')" \
	    "$(cpu_of "$line")" "$(bench_field "$line" wall_s)" "${cmd/$NTRACE/ntrace}"
done
echo
echo "ntrace / mtr peak RSS: $(bench_ratio "${rss[ntrace]}" "${rss[mtr]}")"
echo
echo "| traces | peak RSS kB | CPU s (user+sys) | CPU ms per cycle | wall s | (trace, hop) pairs with sent != $cycles | command |"
echo "| ---: | ---: | ---: | ---: | ---: | --- | --- |"
for n in 1 8 64; do
	protos=icmp
	((n > 1)) && protos=icmp,udp
	# shellcheck disable=SC2046
	cmd="$NTRACE -n -j -c $cycles -i 1 --protocol $protos $(targets "$n")"
	out=$BENCH_TMP/multi.$n.json
	# shellcheck disable=SC2086
	line=$(bench_run src "$out" 0.05 $cmd)
	read -r got bad detail < <(missed "$out" "$cycles")
	[[ $got == "$n" ]] || bad="$bad (report has $got traces)"
	short=$cmd
	((n == 64)) && short="$NTRACE -n -j -c $cycles -i 1 --protocol $protos 10.77.250.{1..16} fd77:250::{1..16}"
	((n == 8)) && short="$NTRACE -n -j -c $cycles -i 1 --protocol $protos 10.77.250.{1,2} fd77:250::{1,2}"
	printf '| %s | %s | %s | %.2f | %.2f | %s%s | `%s` |\n' "$n" "$(bench_field "$line" hwm_kb)" \
	    "$(cpu_of "$line")" "$(awk -v c="$(cpu_of "$line")" -v n="$cycles" 'BEGIN { print c / n * 1000 }')" \
	    "$(bench_field "$line" wall_s)" "$bad" "${detail:+ ($detail)}" "${short/$NTRACE/ntrace}"
done
