#!/usr/bin/env bash
# Run every benchmark and put the figures into doc/performance.md between
# its "bench:begin" and "bench:end" markers (the prose around them is kept;
# with --print the block goes to stdout and the file is left alone).
# Takes about six minutes.  Needs root.  Usage:
#   sudo bench/run_all.sh [--print]
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/bench_lib.sh"
doc=$top_srcdir/doc/performance.md
block=$(mktemp /tmp/ntrace-bench-all.XXXXXX) || exit 1
trap 'rm -f "$block"' EXIT

run() {
	local script=$1 status
	shift
	echo "running bench/$script $*" >&2
	{
		echo "### bench/$script $*"
		echo
		bash "$top_srcdir/bench/$script" "$@"
		status=$?
		((status == 0)) || echo "(exited with status $status)"
		echo
	} >>"$block"
}

{
	echo "<!-- bench:begin (written by bench/run_all.sh) -->"
	echo "Measured $(bench_machine)."
	echo
	echo "Tools: $(bench_versions)."
	echo
} >"$block"
run one_cycle.sh 5
run cpu_per_probe.sh 3 500
run rtt_accuracy.sh 3 100
run peak_rss.sh 30
echo "<!-- bench:end -->" >>"$block"

if [[ ${1:-} == --print || ! -f $doc ]] ||
    ! grep -q '^<!-- bench:begin' "$doc" || ! grep -q '^<!-- bench:end' "$doc"; then
	[[ ${1:-} == --print ]] || echo "no markers in $doc; printing the block" >&2
	cat "$block"
	exit 0
fi
awk -v f="$block" '
	/^<!-- bench:begin/ { while ((getline l < f) > 0) print l; skip = 1; next }
	/^<!-- bench:end/ { skip = 0; next }
	!skip' "$doc" >"$doc.new" && mv "$doc.new" "$doc"
echo "updated $doc" >&2
