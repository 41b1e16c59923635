#!/usr/bin/env bash
# Labs leave nothing behind: 50 up/down cycles, a test that dies on an
# error, one killed by SIGTERM and one killed by SIGKILL leave no
# namespace, no linkem and no device.
. "${top_srcdir:-.}/tests/lab/lib.sh"
lab_require ping

# What a lab could leave behind, restricted to this test's names.
leftovers() {
	{
		ip netns list | awk '{ print "netns", $1 }' | grep " $LAB_PREFIX"
		pgrep -a -f "linkem .*$LAB_PREFIX" | sed 's/^/process /'
		ip -o link show | awk -F': ' '{ print "device", $2 }' | grep -E ' ln[0-9]'
		ls -d /etc/netns/"$LAB_PREFIX"* "$LAB_STATE_ROOT/$LAB_PREFIX"* 2>/dev/null
	} | sort
}

before=$(leftovers)
devs_before=$(ip -o link show | wc -l)

for ((i = 1; i <= 50; i++)); do
	lab_up "src -[delay=1ms,loss=1%]- r1 - dst[listen=7]" || lab_error "lab_up $i failed"
	if ((i % 10 == 1)); then
		read -r n _ < <(lab_ping -c 1 -W 1 "$(lab_addr dst 4)")
		assert_eq 1 "$n" "ping in cycle $i"
		lab_dns src auto || fail "lab_dns in cycle $i"
	fi
	lab_down
done
assert_eq "$before" "$(leftovers)" "leftovers after 50 cycles"

# A test that fails, one that is terminated, one that is killed: the
# first two clean up by their trap, the third's linkem dies with it.
child() {
	LAB_PREFIX=$LAB_PREFIX"c$1" bash -c '
		. "$top_srcdir/tests/lab/lib.sh"
		lab_up "src -[delay=1ms]- r1 -[delay=1ms]- dst" || exit 99
		echo up
		case $1 in
		fail) fail "on purpose" ;;
		*) sleep 30 & wait ;;
		esac' child "$1" 2>/dev/null
}
export top_srcdir top_builddir
out=$(child fail)
assert_eq up "$out" "failing child brought its lab up"
assert_eq "$before" "$(leftovers)" "leftovers after a failing test"

for sig in TERM KILL; do
	coproc CHILD { child "$sig"; } 2>/dev/null
	read -r -t 10 line <&"${CHILD[0]}" || lab_error "child lab did not come up"
	assert_eq up "$line" "child lab up before SIG$sig"
	pkill -"$sig" -f -P "$CHILD_PID" '^bash -c' || lab_error "no child to kill"
	wait "$CHILD_PID" 2>/dev/null
	for ((i = 0; i < 200; i++)); do
		pgrep -f "linkem .*${LAB_PREFIX}c$sig" >/dev/null || break
		sleep 0.01
	done
	pgrep -a -f "linkem .*${LAB_PREFIX}c$sig" && fail "linkem outlived a SIG$sig'd test"
	if [[ $sig == KILL ]]; then
		# No trap runs on SIGKILL: the namespaces are the caller's to remove.
		for ns in $(ip netns list | awk '{ print $1 }' | grep "^${LAB_PREFIX}cKILL"); do
			ip netns del "$ns"
		done
		rm -rf "$LAB_STATE_ROOT/${LAB_PREFIX}cKILL"*
	fi
	assert_eq "$before" "$(leftovers)" "leftovers after SIG$sig"
done
assert_eq "$devs_before" "$(ip -o link show | wc -l)" "devices in the host namespace"
note "50 cycles, a failure, SIGTERM and SIGKILL left nothing behind"
exit 0
