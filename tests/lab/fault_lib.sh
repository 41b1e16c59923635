#!/usr/bin/env bash
# fault_lib.sh: helpers for the live-fault tests (tests/lab/fault_*.sh):
# ntrace runs in the background with --stream while the test breaks
# something, then the stream is read back (sourced, never run).
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"

# Starts ntrace ARGS in the source namespace, its stdout to FAULT_OUT and
# stderr to FAULT_ERR (inside the lab's state directory, so lab_down
# removes them); sets fault_pid. ip netns exec execs ntrace, so the pid
# is ntrace's own (checked: signals and /proc must reach ntrace itself).
# Call after lab_up.
fault_start() {
	FAULT_OUT=$LAB_DIR/fault.out
	FAULT_ERR=$LAB_DIR/fault.err
	: >"$FAULT_OUT"
	# Not lab_exec: a backgrounded function is a subshell, and $! its pid.
	ip netns exec "$(lab_ns "$(lab_src)")" "$NTRACE" "$@" >"$FAULT_OUT" \
	    2>"$FAULT_ERR" &
	fault_pid=$!
	sleep 0.1
	# A run that has already ended is for fault_wait to judge.
	if kill -0 "$fault_pid" 2>/dev/null; then
		local comm
		comm=$(cat "/proc/$fault_pid/comm" 2>/dev/null)
		[[ $comm == ntrace ]] || lab_error "pid $fault_pid is '$comm', not ntrace"
	fi
}

# Waits up to SECONDS for ntrace to end; sets fault_rc (124: still running,
# then killed).
fault_wait() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		kill -0 "$fault_pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$fault_pid" 2>/dev/null; then
		kill -KILL "$fault_pid"
		wait "$fault_pid"
		fault_rc=124
		return
	fi
	wait "$fault_pid"
	fault_rc=$?
}

# Waits until the stream holds at least N probe lines (up to 20 s).
fault_wait_probes() {
	local i
	for ((i = 0; i < 200; i++)); do
		(($(grep -c '"type":"probe"' "$FAULT_OUT") >= $1)) && return 0
		kill -0 "$fault_pid" 2>/dev/null || break
		sleep 0.1
	done
	fail "fewer than $1 probe results after 20 s"
}

# Reads the stream and prints one line per round of TTL: "ROUND RESULT
# RTT" (RTT "-" when none), in round order.
fault_rounds() {
	python3 -c '
import json, sys
ttl = int(sys.argv[2])
rows = {}
for line in open(sys.argv[1]):
    if not line.startswith("{"):
        continue
    d = json.loads(line)
    if d.get("type") != "probe" or d["ttl"] != ttl:
        continue
    rtt = d["rtt_ms"]
    rows[d["round"]] = (d["result"], "-" if rtt is None else rtt)
for r in sorted(rows):
    print(r, rows[r][0], rows[r][1])' "$FAULT_OUT" "$1"
}

# Fails unless every RTT in the stream lies within [0, MAX_MS].
fault_assert_rtts() {
	local bad
	bad=$(python3 -c '
import json, sys
hi = float(sys.argv[2])
for line in open(sys.argv[1]):
    if line.startswith("{\"type\":\"probe\""):
        d = json.loads(line)
        r = d["rtt_ms"]
        if r is not None and not (0 <= r <= hi):
            print(d["round"], d["ttl"], r)
            break' "$FAULT_OUT" "$1")
	[[ -z $bad ]] || fail "RTT outside [0, $1] ms (round ttl rtt): $bad"
}
