#!/usr/bin/env bash
# The live view over a long run: ntrace in tmux at -i 0.1 on a 10-hop lab
# path for DURATION seconds (default 600), sampling its RSS and how long
# the screen takes to show PAUSED after p (and running after space).
# A soak, not a test: it prints figures and fails only if RSS grows past
# GROWTH_KB (default 1024) from the first minute to the end.
#   sudo bench/ui_soak.sh [DURATION]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export top_srcdir=$top top_builddir=${top_builddir:-$top}
. "$top/tests/lab/lib.sh"
NTRACE_LAB_REQUIRED=1
lab_require tmux
lab_require_ntrace
duration=${1:-600}
growth_kb=${GROWTH_KB:-1024}
sock=ntrace-soak-$$
t="tmux -L $sock -f /dev/null"

lab_up "src -[delay=1ms]- r1 -[delay=2ms]- r2 - r3 -[delay=5ms,loss=2%]- r4 - r5 - r6 - r7 - r8 - r9 - dst" ||
	lab_error "lab_up failed"
trap '$t kill-server 2>/dev/null; lab_down' EXIT
$t new-session -d -x 120 -y 30 "ip netns exec $(lab_ns src) $NTRACE -n -i 0.1 $(lab_addr dst 4)"
sleep 2
pid=$(pgrep -n -f "$NTRACE -n -i 0.1") || lab_error "ntrace did not start"

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
# Milliseconds until the pane shows PATTERN after KEY, polling every 5 ms.
respond_ms() {
	local key=$1 pattern=$2 t0 now
	t0=$(date +%s%N)
	$t send-keys "$key"
	while :; do
		$t capture-pane -p | grep -q "$pattern" && break
		now=$(date +%s%N)
		(((now - t0) / 1000000 > 2000)) && { echo timeout; return; }
		sleep 0.005
	done
	now=$(date +%s%N)
	echo $(((now - t0) / 1000000))
}

printf '%8s %10s %10s %10s\n' "elapsed" "rss_kb" "pause_ms" "resume_ms"
start=$(date +%s)
first_min=
while :; do
	now=$(date +%s)
	el=$((now - start))
	r=$(rss) || break
	p=$(respond_ms p PAUSED)
	q=$(respond_ms ' ' running)
	printf '%8d %10d %10s %10s\n' "$el" "$r" "$p" "$q"
	[[ -z $first_min && $el -ge 60 ]] && first_min=$r
	((el >= duration)) && break
	sleep 20
done
end_rss=$(rss)
$t send-keys q
echo "RSS after the first minute: ${first_min:-?} kB; at the end: $end_rss kB"
if [[ -n $first_min ]] && ((end_rss - first_min > growth_kb)); then
	echo "ui_soak: FAIL: RSS grew by $((end_rss - first_min)) kB"
	exit 1
fi
echo "ui_soak: RSS flat within $growth_kb kB"
