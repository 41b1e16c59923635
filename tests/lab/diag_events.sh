#!/usr/bin/env bash
# The event log: moving a route from one router of an ECMP pair to the other
# mid-run shows up as new responders at TTLs 2 and 3, with the time of the
# change and the old and new addresses, in the JSON report and as --stream
# lines while it runs; a source link going down and back shows as a send
# error and its recovery.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - {r2a|r2b} - r3 - dst" || lab_error "lab_up failed"
dst=$(lab_addr dst 4)
ka=$(lab_link r1 r2a)
kb=$(lab_link r1 r2b)
net="10.77.$(lab_link r3 dst).0/24"
via_a=$(lab_addr r2a 4)
via_b=$(lab_addr r2b 4)
# r3 answers from the link a probe came in on: one address per branch.
r3_a=$(lab_addr r3 4 "$(lab_link r2a r3)")
r3_b=$(lab_addr r3 4 "$(lab_link r2b r3)")
tmp=$(mktemp -d) || lab_error "mktemp failed"
trap 'rm -rf "$tmp"; lab_down' EXIT

now() { date +%s.%N; }

# The events of trace 0 in a JSON report, one "event ttl old new epoch" a line.
events() {
	python3 -c '
import json, sys, datetime
d = json.load(open(sys.argv[1]))
for e in d["traces"][0]["events"]:
    t = datetime.datetime.fromisoformat(e["time"].replace("Z", "+00:00"))
    print(e["event"], e["ttl"], e.get("old"), e.get("new"), "%.3f" % t.timestamp())
' "$1"
}

# 1. Route change: all of r1's traffic to dst moves from r2a to r2b.
lab_exec r1 ip route replace "$net" via "$via_a" dev "ln$ka" ||
	lab_error "cannot pin the route on r2a"
nt -j -n -c 60 -i 0.1 "$dst" >"$tmp/route.json" &
pid=$!
sleep 3
t0=$(now)
lab_exec r1 ip route replace "$net" via "$via_b" dev "ln$kb" ||
	lab_error "cannot move the route to r2b"
t1=$(now)
wait "$pid" || fail "ntrace exited $?"
events "$tmp/route.json" >"$tmp/route.ev"
note "events: $(tr '\n' ';' <"$tmp/route.ev")"
read -r kind ttl old new at < <(grep "^new_responder 2 " "$tmp/route.ev")
assert_eq "new_responder 2 $via_a $via_b" "$kind $ttl $old $new" "TTL 2 change"
# Logged at the first reply through r2b: after the change, within a second.
assert_between "$t0" "$(awk -v t="$t1" 'BEGIN { printf "%.3f", t + 1 }')" "$at" \
    "time of the TTL 2 change"
read -r kind ttl old new at < <(grep "^new_responder 3 " "$tmp/route.ev")
assert_eq "new_responder 3 $r3_a $r3_b" "$kind $ttl $old $new" "TTL 3 change"
assert_eq 2 "$(grep -c '^new_responder' "$tmp/route.ev")" "new responders logged"

# 2. --stream writes the event while the run goes on, before later probes.
nt --stream -n -c 60 -i 0.1 "$dst" >"$tmp/stream" &
pid=$!
sleep 3
lab_exec r1 ip route replace "$net" via "$via_a" dev "ln$ka" ||
	lab_error "cannot move the route back to r2a"
wait "$pid" || fail "ntrace --stream exited $?"
python3 - "$tmp/stream" "$via_b" "$via_a" <<'PY' || fail "--stream event lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
ev = [i for i, l in enumerate(lines) if l["type"] == "event" and
      l["event"] == "new_responder" and l["ttl"] == 2]
assert len(ev) == 1, ev
e = lines[ev[0]]
assert (e["old"], e["new"]) == (sys.argv[2], sys.argv[3]), e
assert e["trace"] == 0 and e["protocol"] == "icmp", e
# Written as it happened: probe lines follow it, none of them older.
later = [l for l in lines[ev[0] + 1:] if l["type"] == "probe"]
assert len(later) > 50, len(later)
assert all(l["time"] >= e["time"] for l in later)
PY

# 3. The source's link goes down and comes back: sends fail, then work.
nt -j -n -c 60 -i 0.1 "$dst" >"$tmp/down.json" &
pid=$!
sleep 2
t0=$(now)
lab_link_down 1 || lab_error "lab_link_down 1"
sleep 2
lab_link_up 1 || lab_error "lab_link_up 1"
t1=$(now)
wait "$pid" || fail "ntrace exited $?"
events "$tmp/down.json" >"$tmp/down.ev"
note "events: $(tr '\n' ';' <"$tmp/down.ev")"
read -r kind _ _ _ at_err < <(grep "^send_error " "$tmp/down.ev")
assert_eq send_error "$kind" "send error logged"
assert_between "$t0" "$t1" "$at_err" "time of the send error"
read -r kind _ _ _ at_ok < <(grep "^send_ok " "$tmp/down.ev")
assert_eq send_ok "$kind" "recovery logged"
assert_between "$t1" "$(awk -v t="$t1" 'BEGIN { printf "%.3f", t + 5 }')" "$at_ok" \
    "time of the recovery"
error=$(jq_py "[e['error'] for e in d['traces'][0]['events'] if e['event'] == 'send_error'][0]" <"$tmp/down.json")
assert_eq "Network is unreachable" "$error" "the send error's text"
exit 0
