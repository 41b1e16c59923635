#!/usr/bin/env bash
# Measure how closely linkem's added delay matches the configured one:
# ping across one TUN link with delay D each way and compare the average
# RTT with the same link at delay 0.  Needs root.  Usage:
#   sudo bench/linkem_precision.sh [COUNT]
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/lab/lib.sh"
lab_require ping
count=${1:-200}

avg_rtt() {
	lab_up "src -[delay=$1]- dst" || lab_error "lab_up failed"
	lab_exec src ping -q -c "$count" -i 0.01 "$(lab_addr dst "$2")" |
		awk -F/ '/^rtt/ { print $5 }'
	lab_down
}

for fam in 4 6; do
	base=$(avg_rtt 0ms $fam)
	printf 'IPv%s  delay 0: avg RTT %.3f ms (kernel + 2 linkem passes)\n' "$fam" "$base"
	for d in 1 5 12 30; do
		avg=$(avg_rtt ${d}ms $fam)
		awk -v d="$d" -v a="$avg" -v b="$base" 'BEGIN {
			printf "      delay %2d ms: avg RTT %.3f ms, per direction %+.1f us over the configured delay, %+.1f us over it plus the delay-0 path\n",
			    d, a, (a / 2 - d) * 1000, ((a - b) / 2 - d) * 1000 }'
	done
done
