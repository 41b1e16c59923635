#!/usr/bin/env bash
# The wall clock steps back 30 s and then forward 60 s during a run, as an
# NTP step would; the machine's clock is left alone: the clockstep shim
# (LD_PRELOAD) shifts what ntrace reads from CLOCK_REALTIME while kernel
# packet timestamps stay true. RTTs must stay sane (no negative or huge
# values: ntrace falls back to the monotonic clock) and rounds go on.
. "${top_srcdir:-.}/tests/lab/fault_lib.sh"
lab_require python3
lab_require_ntrace
shim=${CLOCKSTEP_SO:-$top_builddir/tests/lab/clockstep.so}
[[ -f $shim ]] || lab_error "the clockstep shim is not built at $shim (make check builds it)"
# A sanitizer build wants its runtime first; the shim cannot come before.
# Not a lab requirement, so a skip even when the lab is required.
if nm -D "$NTRACE" 2>/dev/null | grep -q __asan_init; then
	echo "$LAB_TEST: SKIP: ntrace is built with AddressSanitizer, which refuses LD_PRELOAD shims" >&2
	exit 77
fi

lab_up "src - r1 -[delay=5ms]- r2 - dst" || lab_error "lab_up failed"
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	FAULT_ENV=(env CLOCKSTEP="2:-30,4:+60,6:-3600" LD_PRELOAD="$shim")
	fault_start_env() {
		FAULT_OUT=$LAB_DIR/fault.out FAULT_ERR=$LAB_DIR/fault.err
		: >"$FAULT_OUT"
		ip netns exec "$(lab_ns "$(lab_src)")" "${FAULT_ENV[@]}" \
		    "$NTRACE" "$@" >"$FAULT_OUT" 2>"$FAULT_ERR" &
		fault_pid=$!
	}
	fault_start_env --stream -n -i 0.1 -c 80 "$dst"
	fault_wait 40
	((fault_rc == 0)) || fail "IPv$fam: ntrace exited $fault_rc: $(head -c 300 "$FAULT_ERR")"
	# The shim worked: the stream's wall-clock times went back 30 s.
	back=$(python3 -c '
import json, sys, datetime
prev, most = None, 0
for line in open(sys.argv[1]):
    t = datetime.datetime.fromisoformat(json.loads(line)["time"].replace("Z", "+00:00"))
    if prev is not None:
        most = max(most, (prev - t).total_seconds())
    prev = t
print(int(most))' "$FAULT_OUT")
	((back >= 25)) || lab_error "the clockstep shim did not step the clock (largest step back ${back} s)"
	mapfile -t rounds < <(fault_rounds 3)
	((${#rounds[@]} == 80)) || fail "IPv$fam: ${#rounds[@]} of 80 rounds reported"
	reached=$(printf '%s\n' "${rounds[@]}" | awk '$2 == "reached"' | wc -l)
	((reached >= 78)) || fail "IPv$fam: only $reached of 80 rounds reached across the clock steps"
	# About 10 ms through the 5 ms link, up to 1 s on a loaded host (the
	# userspace link emulator); a step would show as 30 s to an hour.
	fault_assert_rtts 1000
	lab_exec src "${FAULT_ENV[@]}" "$NTRACE" -j -n -i 0.1 -c 70 "$dst" >"$FAULT_OUT" ||
		fail "IPv$fam: JSON run exited $?"
	worst=$(jq_py "max(h['worst_ms'] or 0 for h in d['traces'][0]['hops'])" <"$FAULT_OUT")
	best=$(jq_py "min(h['best_ms'] for h in d['traces'][0]['hops'] if h['best_ms'] is not None)" <"$FAULT_OUT")
	assert_between 0 1000 "$worst" "IPv$fam: worst RTT in the report"
	assert_between 0 1000 "$best" "IPv$fam: best RTT in the report"
	note "IPv$fam: $reached of 80 rounds reached, report best $best ms worst $worst ms"
done
lab_down
exit 0
