#!/usr/bin/env bash
# Soak: one ntrace runs 64 traces (32 IPv4 and 32 IPv6 targets behind two
# routers) at a high probe rate, and its resident memory (VmRSS) and open
# descriptors are sampled every few seconds. Memory is bounded by
# configuration, never by run time, so both must stay flat.
#
#   sudo tests/lab/soak.sh [SECONDS [INTERVAL]]    (default 900 s at -i 0.01)
#
# 86400 rounds per trace is a day at mtr's -i 1; at -i 0.01 that is 864 s,
# so the default run is the equivalent of a day (if the host keeps up: the
# figures give the rounds actually run). Not part of `make check`.
# Pass: after a 30 s warm-up, RSS grows by at most SOAK_RSS_SLACK_KB
# (default 2048) and the descriptor count does not change.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$top_srcdir/tests/lab/trace_lib.sh"
duration=${1:-900}
interval=${2:-0.01}
sample=${SOAK_SAMPLE:-5}
slack=${SOAK_RSS_SLACK_KB:-2048}
warmup=30
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst" || lab_error "lab_up failed"
targets=()
for i in $(seq 10 41); do
	lab_exec dst ip addr add "10.77.3.$i/24" dev ln3
	lab_exec dst ip addr add "fd77:3::$i/64" dev ln3 nodad
	targets+=("10.77.3.$i" "fd77:3::$i")
done
# Every probe answered: no ICMP rate limit may turn the soak into a loss test.
for n in r1 r2 dst; do
	lab_exec "$n" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done
cycles=$(awk -v d="$duration" -v i="$interval" 'BEGIN { printf "%d", d / i }')
out=$(mktemp /tmp/ntrace-soak.XXXXXX)
log=${SOAK_LOG:-/tmp/ntrace-soak.log}
note "64 traces, -i $interval, -c $cycles (${duration}s), samples every ${sample}s -> $log"
# Not lab_exec: a backgrounded function is a subshell, and $! its pid.
ip netns exec "$(lab_ns src)" "$NTRACE" -j -n -c "$cycles" -i "$interval" -m 8 \
    "${targets[@]}" >"$out" &
pid=$!
sleep 1
comm=$(cat "/proc/$pid/comm" 2>/dev/null)
[[ $comm == ntrace ]] || lab_error "pid $pid is '$comm', not ntrace"
start=$(date +%s)
echo "# seconds rss_kb fds" >"$log"
rss0= fd0=
while kill -0 "$pid" 2>/dev/null; do
	sleep "$sample"
	rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || break
	fds=$(ls "/proc/$pid/fd" 2>/dev/null | wc -l)
	[[ -n $rss ]] || break
	t=$(($(date +%s) - start))
	echo "$t $rss $fds" >>"$log"
	if [[ -z $rss0 ]] && ((t >= warmup)); then
		rss0=$rss fd0=$fds
	fi
	rss1=$rss fd1=$fds
done
wait "$pid"
rc=$?
end=$(($(date +%s) - start))
((rc == 0)) || fail "ntrace exited $rc"
[[ -n $rss0 ]] || fail "the run ended before the ${warmup}s warm-up"
read -r sent recv rounds < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
hops = [h for t in d["traces"] for h in t["hops"]]
rounds = [max(h["sent"] for h in t["hops"]) for t in d["traces"]]
print(sum(h["sent"] for h in hops), sum(h["received"] for h in hops), min(rounds))' "$out")
first=$(awk 'NR == 2 { print $2, $3 }' "$log")
peak=$(awk 'NR > 1 && $2 > m { m = $2 } END { print m }' "$log")
note "duration ${end}s, traces 64, rounds per trace >= $rounds, probes answered $recv (sent $sent)"
note "first sample rss ${first% *} kB fds ${first#* }; after warm-up rss $rss0 kB fds $fd0; end rss $rss1 kB fds $fd1; peak rss $peak kB"
rm -f "$out"
lab_down
((rss1 - rss0 <= slack)) || fail "RSS grew by $((rss1 - rss0)) kB after warm-up (limit $slack kB)"
((fd1 == fd0)) || fail "open descriptors went from $fd0 to $fd1"
note "PASS: flat"
exit 0
