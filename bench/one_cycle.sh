#!/usr/bin/env bash
# Time to a one-cycle report of a 10-hop lab path (10 links of 10 ms each
# way, so the destination's RTT is ~200 ms): ntrace -r -c 1 against
# traceroute -q 1 and mtr -r -c 1, ICMP and UDP, median of RUNS each.
# Measures and prints; never asserts.  Needs root.  Usage:
#   sudo bench/one_cycle.sh [RUNS]
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/bench_lib.sh"
runs=${1:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || lab_error "RUNS must be a positive integer"
bench_require mtr traceroute
bench_lab10 10ms
dst=$(lab_addr dst 4)

# name|protocol|command (word-split; no argument has a space).
cases=(
	"ntrace|icmp|$NTRACE -n -r -c 1 $dst"
	"traceroute|icmp|traceroute -n -q 1 -I $dst"
	"mtr|icmp|mtr -n -r -c 1 $dst"
	"ntrace|udp|$NTRACE -n -r -c 1 -u $dst"
	"traceroute|udp|traceroute -n -q 1 $dst"
	"mtr|udp|mtr -n -r -c 1 -u $dst"
)

# Interleave the tools run by run so that drift hits all of them alike.
declare -A times=() bad=()
for ((r = 1; r <= runs; r++)); do
	for i in "${!cases[@]}"; do
		IFS='|' read -r name proto cmd <<<"${cases[i]}"
		out=$BENCH_TMP/out.$i.$r
		# shellcheck disable=SC2086
		line=$(bench_run src "$out" 0 $cmd)
		times[$i]+="$(bench_field "$line" wall_s) "
		# A run that did not reach the destination is flagged, not hidden.
		grep -q "$dst" "$out" || bad[$i]=$((${bad[$i]:-0} + 1))
	done
done

declare -A med=()
echo "One-cycle report, 10-hop path, destination RTT 200 ms; median of $runs runs"
echo
echo "| tool | protocol | median s | min s | max s | command |"
echo "| --- | --- | ---: | ---: | ---: | --- |"
for i in "${!cases[@]}"; do
	IFS='|' read -r name proto cmd <<<"${cases[i]}"
	# shellcheck disable=SC2086
	med[$name.$proto]=$(printf '%s\n' ${times[$i]} | bench_median)
	# shellcheck disable=SC2086
	read -r lo hi < <(printf '%s\n' ${times[$i]} | sort -g | sed -n '1p;$p' | paste -sd' ')
	note=
	[[ -n ${bad[$i]:-} ]] && note=" (${bad[$i]} runs did not reach $dst)"
	printf '| %s | %s | %.3f | %.3f | %.3f | `%s`%s |\n' "$name" "$proto" \
	    "${med[$name.$proto]}" "$lo" "$hi" "${cmd/$NTRACE/ntrace}" "$note"
done
echo
echo "| protocol | ntrace / traceroute | ntrace / mtr | target ntrace/traceroute <= 1.5 |"
echo "| --- | ---: | ---: | --- |"
for proto in icmp udp; do
	rt=$(bench_ratio "${med[ntrace.$proto]}" "${med[traceroute.$proto]}")
	rm=$(bench_ratio "${med[ntrace.$proto]}" "${med[mtr.$proto]}" 3)
	verdict=$(awk -v r="$rt" 'BEGIN { print (r != "n/a" && r <= 1.5) ? "met" : "not met" }')
	printf '| %s | %s | %s | %s |\n' "$proto" "$rt" "$rm" "$verdict"
done
