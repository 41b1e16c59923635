#!/usr/bin/env bash
# Faults of the process itself:
#  - SIGPIPE: `ntrace --stream ... | head -1` closes the pipe. ntrace ignores
#    SIGPIPE, sees EPIPE, says "cannot write the report: Broken pipe" and
#    exits 1 promptly: no death by signal, no core, no hang.
#  - Out of descriptors at start (ulimit -n 4): a clear error, exit 1.
. "${top_srcdir:-.}/tests/lab/fault_lib.sh"
lab_require python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst" || lab_error "lab_up failed"
for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	err=$LAB_DIR/pipe.err
	start=$(date +%s)
	line=$(timeout 20 ip netns exec "$(lab_ns src)" "$NTRACE" --stream -n \
	    -i 0.05 -c 1000 "$dst" 2>"$err" | head -1; echo "rc=${PIPESTATUS[0]}")
	took=$(($(date +%s) - start))
	assert_match '^\{"type":"probe".*rc=1$' "$(tr '\n' ' ' <<<"$line" | sed 's/ $//')" \
	    "IPv$fam: one line, then exit 1"
	assert_eq "ntrace: cannot write the report: Broken pipe" "$(cat "$err")" "IPv$fam: stderr"
	((took <= 5)) || fail "IPv$fam: took ${took}s to notice the closed pipe"
done

for n in 4 5; do
	out=$(lab_exec src bash -c "ulimit -n $n && exec \"\$0\" -r -n -c 1 10.77.3.2" "$NTRACE" 2>&1)
	rc=$?
	assert_eq 1 "$rc" "ulimit -n $n: exit code"
	assert_match '^ntrace: .*Too many open files \(raise the open-file limit, e\.g\. ulimit -n 1024\)$' \
	    "$out" "ulimit -n $n: message"
	note "ulimit -n $n: $out"
done
lab_down
exit 0
