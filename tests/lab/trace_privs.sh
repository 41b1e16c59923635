#!/usr/bin/env bash
# Privileges: a run started as root, under sudo or with file capabilities
# keeps no uid 0 and no capability once it runs; without CAP_NET_RAW and
# outside ping_group_range, ICMP fails with both fixes named and exit 1
# while UDP and TCP still trace as an ordinary user.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3 setpriv setcap
lab_require_ntrace

lab_up "src[noping] - r1 - dst" || lab_error "lab_up failed"
dst=$(lab_addr dst 4)
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"; lab_down' EXIT

# Print "uid-list capeff capprm" of PID once it has been running 1 s.
creds_after_1s() {
	local pid=$1
	sleep 1
	[[ -r /proc/$pid/status ]] || fail "ntrace (pid $pid) ended early"
	awk '/^Uid:/ { u = $2 "," $3 "," $4 "," $5 } /^CapEff:/ { e = $2 }
	    /^CapPrm:/ { p = $2 } END { print u, e, p }' "/proc/$pid/status"
}

# Started as plain root: becomes nobody with nothing left.
# (ip netns exec and env exec in place, so $! is ntrace's own pid.)
ip netns exec "$(lab_ns src)" env -u SUDO_UID -u SUDO_GID "$NTRACE" -r -c 4 -i 0.5 "$dst" >"$tmp/out" &
pid=$!
read -r uids eff prm < <(creds_after_1s "$pid")
wait "$pid" || fail "root run exited $?"
assert_eq "65534,65534,65534,65534" "$uids" "root run: uids after 1 s"
assert_eq 0000000000000000 "$eff" "root run: effective capabilities"
assert_eq 0000000000000000 "$prm" "root run: permitted capabilities"
assert_match "10\.77\.2\.2" "$(cat "$tmp/out")" "root run: traced after dropping"

# Under sudo: becomes the invoking user.
ip netns exec "$(lab_ns src)" env SUDO_UID=4321 SUDO_GID=4321 "$NTRACE" -r -c 4 -i 0.5 "$dst" >/dev/null &
pid=$!
read -r uids eff prm < <(creds_after_1s "$pid")
wait "$pid" || fail "sudo run exited $?"
assert_eq "4321,4321,4321,4321" "$uids" "sudo run: uids after 1 s"
assert_eq 0000000000000000 "$eff" "sudo run: effective capabilities"

# File capability, started by nobody: raw back end, then nothing left.
cp "$NTRACE" "$tmp/ntrace"
chmod 755 "$tmp/ntrace"
setcap cap_net_raw+ep "$tmp/ntrace" || lab_error "setcap failed"
out=$(lab_exec src setpriv --reuid 65534 --regid 65534 --clear-groups "$tmp/ntrace" -v)
assert_match "back end: raw" "$out" "file capability: raw back end"
ip netns exec "$(lab_ns src)" setpriv --reuid 65534 --regid 65534 --clear-groups \
    "$tmp/ntrace" -j -c 4 -i 0.5 "$dst" >"$tmp/cap.json" &
pid=$!
read -r uids eff prm < <(creds_after_1s "$pid")
wait "$pid" || fail "file-capability run exited $?"
assert_eq 0000000000000000 "$eff" "file capability: effective capabilities"
assert_eq 0000000000000000 "$prm" "file capability: permitted capabilities"
assert_eq "$(lab_hops 4 | tr '\n' ' ')" "$(json_hops <"$tmp/cap.json" | tr '\n' ' ')" \
    "file capability: hops"

# No capability and outside ping_group_range: ICMP explains itself.
set +e
err=$(nt_unpriv -r -c 1 --icmp "$dst" 2>&1 >/dev/null)
rc=$?
set -e
assert_eq 1 "$rc" "ICMP without permission: exit code"
assert_match "ping_group_range" "$err" "ICMP without permission: names the sysctl"
assert_match "setcap cap_net_raw\+ep" "$err" "ICMP without permission: names setcap"
assert_match "\(-u\)" "$err" "ICMP without permission: suggests UDP"
for proto in --udp --tcp; do
	out=$(nt_unpriv -j -c 2 -i 0.2 "$proto" "$dst") || fail "unprivileged $proto exited $?"
	assert_eq "$(lab_hops 4 | tr '\n' ' ')" "$(json_hops <<<"$out" | tr '\n' ' ')" \
	    "unprivileged $proto without ping sockets: hops"
done
exit 0
