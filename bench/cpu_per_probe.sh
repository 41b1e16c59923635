#!/usr/bin/env bash
# CPU time (user + sys) per probe at a high probe rate: ntrace -c 500
# -i 0.01 against mtr -c 500 -i 0.01 on the 10-hop lab path, ICMP and
# UDP, median of RUNS.  mtr's CPU includes mtr-packet (mtr reaps it, so
# wait4's rusage counts it).  Probes are counted on the wire (tx packets
# of src's first link) and, as a cross-check, from each tool's own sent
# counts.  Measures and prints; never asserts.  Needs root.  Usage:
#   sudo bench/cpu_per_probe.sh [RUNS] [CYCLES]
# DELAY (default 1ms per link, RTT 20 ms) keeps ntrace's probes in
# flight (2 rounds x 10 hops) under its default --max-inflight of 64.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/bench_lib.sh"
runs=${1:-3}
cycles=${2:-500}
[[ $runs =~ ^[1-9][0-9]*$ && $cycles =~ ^[1-9][0-9]*$ ]] ||
	lab_error "RUNS and CYCLES must be positive integers"
bench_require mtr
bench_lab10 "${DELAY:-1ms}"
dst=$(lab_addr dst 4)

# The sum of the tool's own per-hop sent counts, from its JSON.
reported_sent() {
	"$BENCH_PY" - "$1" "$2" <<'EOF'
import json, sys
try:
    doc = json.load(open(sys.argv[2]))
except (OSError, ValueError):
    print(0)
    sys.exit()
if sys.argv[1] == "ntrace":
    print(sum(h["sent"] for t in doc["traces"] for h in t["hops"]))
else:
    print(sum(h["Snt"] for h in doc["report"]["hubs"]))
EOF
}

cases=(
	"ntrace|icmp|$NTRACE -n -j -c $cycles -i 0.01 $dst"
	"mtr|icmp|mtr -n --json -c $cycles -i 0.01 $dst"
	"ntrace|udp|$NTRACE -n -j -c $cycles -i 0.01 -u $dst"
	"mtr|udp|mtr -n --json -c $cycles -i 0.01 -u $dst"
)
declare -A per=() wire=() rep=() cpu=() wall=()
for ((r = 1; r <= runs; r++)); do
	for i in "${!cases[@]}"; do
		IFS='|' read -r name proto cmd <<<"${cases[i]}"
		out=$BENCH_TMP/out.$i.$r
		t0=$(bench_tx_packets src ln1)
		# shellcheck disable=SC2086
		line=$(bench_run src "$out" 0 $cmd)
		t1=$(bench_tx_packets src ln1)
		n=$((t1 - t0))
		c=$(awk -v u="$(bench_field "$line" user_s)" \
		    -v s="$(bench_field "$line" sys_s)" 'BEGIN { print u + s }')
		cpu[$i]+="$c "
		wall[$i]+="$(bench_field "$line" wall_s) "
		wire[$i]+="$n "
		rep[$i]+="$(reported_sent "$name" "$out") "
		per[$i]+="$(awk -v c="$c" -v n="$n" 'BEGIN { if (n > 0) print c / n * 1e6 }') "
	done
done

med() {
	# shellcheck disable=SC2086
	printf '%s\n' $1 | bench_median
}

declare -A m=()
echo "CPU per probe, 10-hop path (${DELAY:-1ms} per link), $cycles cycles at -i 0.01; median of $runs runs"
echo
echo "| tool | protocol | probes on the wire | probes reported | CPU s (user+sys) | wall s | µs CPU / probe | command |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
for i in "${!cases[@]}"; do
	IFS='|' read -r name proto cmd <<<"${cases[i]}"
	m[$name.$proto]=$(med "${per[$i]}")
	printf '| %s | %s | %s | %s | %.3f | %.2f | %.1f | `%s` |\n' "$name" "$proto" \
	    "$(med "${wire[$i]}")" "$(med "${rep[$i]}")" "$(med "${cpu[$i]}")" \
	    "$(med "${wall[$i]}")" "${m[$name.$proto]}" "${cmd/$NTRACE/ntrace}"
done
echo
echo "| protocol | ntrace / mtr (CPU per probe) | target <= 0.5 |"
echo "| --- | ---: | --- |"
for proto in icmp udp; do
	r=$(bench_ratio "${m[ntrace.$proto]}" "${m[mtr.$proto]}")
	printf '| %s | %s | %s |\n' "$proto" "$r" \
	    "$(awk -v r="$r" 'BEGIN { print (r != "n/a" && r <= 0.5) ? "met" : "not met" }')"
done
