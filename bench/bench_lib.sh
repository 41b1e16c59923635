#!/usr/bin/env bash
# bench_lib.sh: helpers shared by the benchmarks (sourced, never run).
#
# The benchmarks measure and print; they never assert a timing.  They run
# every tool inside lab namespaces (tests/lab), so no probe leaves the
# machine.  NTRACE and LAB_LINKEM may point at copies of the binaries.

: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
BENCH_DIR=$top_srcdir/bench
# shellcheck source=tests/lab/lib.sh
. "$top_srcdir/tests/lab/lib.sh"
BENCH_PY=${LAB_PYTHON:-/usr/bin/python3}
BENCH_TMP=
BENCH_BURNERS=()

# Check for root, namespaces, linkem, ntrace and the given commands.
bench_require() {
	lab_require "$@"
	lab_require_ntrace
	BENCH_TMP=$(mktemp -d /tmp/ntrace-bench.XXXXXX) || exit 1
	bench_traps
}

# lab_up installs its own traps; these also stop the burners and
# remove the scratch directory.
bench_traps() {
	trap 'bench_cleanup' EXIT
	trap 'bench_cleanup; exit 130' INT
	trap 'bench_cleanup; exit 143' TERM
}

# lab_up, keeping the benchmark's traps.
bench_lab_up() {
	lab_up "$1" || lab_error "lab_up failed: $1"
	bench_traps
}

bench_cleanup() {
	bench_burn_stop
	lab_down
	[[ -n $BENCH_TMP ]] && rm -rf "$BENCH_TMP"
	BENCH_TMP=
}

# The 10-hop path used throughout: src, r1..r9, dst, every link with the
# one-way delay DELAY (default 10ms, so the destination's RTT is 200 ms).
bench_lab10() {
	bench_lab_up "$(lab_chain 9 "delay=${1:-10ms}")"
}

# Run CMD in NODE's namespace under runstat.py; print runstat's line.
# The command's stdout goes to OUT.  POLL 0 turns memory polling off.
bench_run() {
	local node=$1 out=$2 poll=$3
	shift 3
	lab_exec "$node" "$BENCH_PY" "$BENCH_DIR/runstat.py" --out "$out" \
	    --poll "$poll" -- "$@"
}

# The value of KEY in a runstat line.
bench_field() {
	local kv
	for kv in $1; do
		[[ ${kv%%=*} == "$2" ]] && { echo "${kv#*=}"; return 0; }
	done
	echo ""
}

# The median of the numbers on stdin.
bench_median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A / B with DIGITS decimals (default 2), or "n/a".
bench_ratio() {
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
		if (a == "" || b == "" || b + 0 == 0) print "n/a"
		else printf "%.*f\n", d, a / b }'
}

# Packets sent on interface IF of NODE so far (wire count of probes).
bench_tx_packets() {
	lab_exec "$1" cat "/sys/class/net/$2/statistics/tx_packets"
}

# Keep N CPUs busy with pure user-space loops until bench_burn_stop.
bench_burn_start() {
	local i
	for ((i = 0; i < $1; i++)); do
		"$BENCH_PY" -c 'while True: pass' &
		BENCH_BURNERS+=("$!")
	done
}

bench_burn_stop() {
	local pid
	for pid in "${BENCH_BURNERS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	BENCH_BURNERS=()
}

# One line describing the machine, for the tables.
bench_machine() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	printf '%s, %s CPUs (%s), Linux %s, %s MB RAM\n' \
	    "$(date -u +%Y-%m-%dT%H:%MZ)" "$(nproc)" "${cpu:-unknown}" \
	    "$(uname -r)" "$(awk '/^MemTotal/ { print int($2 / 1024) }' /proc/meminfo)"
}

# Versions of the tools compared.
bench_versions() {
	printf 'ntrace %s (%s), %s, traceroute %s\n' \
	    "$("$NTRACE" --version 2>&1 | awk '{ print $NF; exit }')" \
	    "$(cd "$top_srcdir" && git rev-parse --short HEAD 2>/dev/null || echo '?')" \
	    "$(mtr --version 2>&1 | head -n1)" \
	    "$(traceroute --version 2>&1 | awk '/version/ { print $NF; exit }')"
}
