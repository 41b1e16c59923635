#!/usr/bin/env bash
# RTT accuracy: each hop's average RTT as ntrace (-j avg_ms) and mtr
# (--json Avg) report it, against the wire RTTs of the same probes in a
# packet capture on src's first link (tcpdump, nanosecond timestamps,
# matched probe to reply by bench/pcap_rtt.py).  Each tool runs alone in
# its own capture window, idle and with BURNERS (default: one per CPU)
# busy loops.  Measures and prints; never asserts.  Needs root.  Usage:
#   sudo bench/rtt_accuracy.sh [RUNS] [CYCLES]
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/bench_lib.sh"
runs=${1:-2}
cycles=${2:-100}
interval=${INTERVAL:-0.1}
burners=${BURNERS:-$(nproc)}
[[ $runs =~ ^[1-9][0-9]*$ && $cycles =~ ^[1-9][0-9]*$ ]] ||
	lab_error "RUNS and CYCLES must be positive integers"
bench_require mtr tcpdump
bench_lab10 "${DELAY:-10ms}"
dst=$(lab_addr dst 4)
src=$(lab_addr src 4)

# Capture ICMP on src's first link into FILE until capture_stop.
capture_start() {
	local i
	# Not lab_exec: a backgrounded function would leave $! a subshell.
	ip netns exec "$(lab_ns src)" tcpdump -i ln1 -n -U --immediate-mode -B 8192 -s 256 -Z root \
	    --time-stamp-precision=nano -w "$1" icmp 2>"$1.log" &
	CAPTURE_PID=$!
	for ((i = 0; i < 500; i++)); do
		grep -q listening "$1.log" 2>/dev/null && return 0
		sleep 0.01
	done
	lab_error "tcpdump did not start: $(cat "$1.log")"
}

capture_stop() {
	sleep 0.5
	kill -INT "$CAPTURE_PID"
	wait "$CAPTURE_PID" 2>/dev/null
}

cases=(
	"ntrace|$NTRACE -n -j -c $cycles -i $interval $dst"
	"mtr|mtr -n --json -c $cycles -i $interval $dst"
)
declare -A mae=() maxe=() bias=() drops=()
for load in 0 "$burners"; do
	for ((r = 1; r <= runs; r++)); do
		for i in "${!cases[@]}"; do
			IFS='|' read -r name cmd <<<"${cases[i]}"
			pcap=$BENCH_TMP/cap.$load.$i.$r.pcap
			out=$BENCH_TMP/out.$load.$i.$r.json
			capture_start "$pcap"
			bench_burn_start "$load"
			# shellcheck disable=SC2086
			lab_exec src $cmd >"$out"
			bench_burn_stop
			capture_stop
			sum=$("$BENCH_PY" "$BENCH_DIR/pcap_rtt.py" "$pcap" "$src" \
			    "$name" "$out" | tee "$pcap.txt" | tail -n1)
			[[ -n ${VERBOSE:-} ]] && cat "$pcap.txt" >&2
			mae[$load.$i]+="$(bench_field "$sum" mean_abs_err_ms) "
			maxe[$load.$i]+="$(bench_field "$sum" max_abs_err_ms) "
			bias[$load.$i]+="$(bench_field "$sum" mean_err_ms) "
			# Packets the filter took but the file lacks, plus drops.
			d=$(awk '/captured$/ { c = $1 } /received by filter/ { f = $1 }
			    /dropped by kernel/ { k = $1 } END { print f - c + k }' "$pcap.log")
			drops[$load.$i]=$((${drops[$load.$i]:-0} + ${d:-0}))
		done
	done
done

med() {
	# shellcheck disable=SC2086
	printf '%s\n' $1 | bench_median
}

declare -A m=()
echo "Per-hop average RTT against the wire, 10-hop path (${DELAY:-10ms} per link), $cycles cycles at -i $interval; median of $runs runs"
echo
echo "| tool | CPU burners | mean abs error ms | max abs error ms | mean signed error ms | capture lost | command |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
for load in 0 "$burners"; do
	for i in "${!cases[@]}"; do
		IFS='|' read -r name cmd <<<"${cases[i]}"
		m[$load.$name]=$(med "${mae[$load.$i]}")
		printf '| %s | %s | %.4f | %.4f | %+.4f | %s | `%s` |\n' "$name" "$load" \
		    "${m[$load.$name]}" "$(med "${maxe[$load.$i]}")" \
		    "$(med "${bias[$load.$i]}")" "${drops[$load.$i]}" "${cmd/$NTRACE/ntrace}"
	done
done
echo
echo "| CPU burners | ntrace / mtr (mean abs error) | target: ntrace <= 0.03 ms and below mtr |"
echo "| ---: | ---: | --- |"
for load in 0 "$burners"; do
	printf '| %s | %s | %s |\n' "$load" "$(bench_ratio "${m[$load.ntrace]}" "${m[$load.mtr]}" 3)" \
	    "$(awk -v n="${m[$load.ntrace]}" -v t="${m[$load.mtr]}" 'BEGIN {
		print (n != "nan" && n <= 0.03 && n < t) ? "met" : "not met" }')"
done
