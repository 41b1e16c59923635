#!/usr/bin/env bash
# Runs every row of tests/cli/hostile.table: a hostile or wrong input, the
# message it must produce and the exit code. No input may crash ntrace,
# hang it (each runs under timeout) or make it print a control character.
# Targets are only 127.0.0.1 and ::1; the one DNS server named is
# 127.0.0.1:9, where nothing listens.
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${NTRACE:=$top_builddir/ntrace}"
export NTRACE
TABLE=${HOSTILE_TABLE:-$top_srcdir/tests/cli/hostile.table}
LIMIT=${HOSTILE_TIMEOUT:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/ntrace-hostile.XXXXXX") || exit 99
tsock=ntrace-hostile-$$
cleanup() {
	tmux -L "$tsock" kill-server 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

[[ -x $NTRACE ]] || { echo "hostile: FAIL: no binary at $NTRACE"; exit 1; }
command -v timeout >/dev/null || { echo "hostile: SKIP: no timeout(1)"; exit 77; }
unset NTRACE_OPTIONS
pass=0 failed=0 skipped=0

# Why a run's output is unsafe to print, or nothing: NUL, C0 controls
# other than newline and tab, DEL, C1 controls (UTF-8 and raw bytes).
unsafe_bytes() {
	local f=$1
	if ! tr -d '\000' <"$f" | cmp -s - "$f"; then
		echo "a NUL byte"
	elif LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$f"; then
		echo "a C0 control or DEL: $(LC_ALL=C grep -o $'[\x01-\x08\x0b-\x1f\x7f]' "$f" | head -1 | od -An -tx1)"
	elif LC_ALL=C grep -q $'\xc2[\x80-\x9f]' "$f"; then
		echo "a C1 control (UTF-8)"
	fi
}

skip_row() {
	if [[ ${NTRACE_LAB_REQUIRED:-0} == 1 ]]; then
		echo "FAIL $1: $2 (NTRACE_LAB_REQUIRED=1)"
		failed=$((failed + 1))
	else
		echo "SKIP $1: $2"
		skipped=$((skipped + 1))
	fi
}

# Runs COMMAND in a tmux pane of SIZE, waits for REGEX, sends q; sets rc
# and leaves the last screen in OUT.
run_tmux() {
	local size=$1 regex=$2 cmd=$3 out=$4 i
	local T="tmux -L $tsock -f /dev/null"
	rm -f "$work/rc"
	printf '%s\n' "$cmd" >"$work/cmd"
	$T new-session -d -s h -x "${size%x*}" -y "${size#*x}" \
	    "env TERM=xterm-256color LC_ALL=C.UTF-8 NTRACE='$NTRACE' bash -c 'timeout --foreground $LIMIT bash $work/cmd 2>$work/stderr; echo \$? >$work/rc; sleep 60'" ||
		return 99
	for ((i = 0; i < 50; i++)); do
		$T capture-pane -p -t h >"$out"
		grep -Pzq -- "$regex" "$out" && break
		sleep 0.1
	done
	$T send-keys -t h q
	for ((i = 0; i < 50; i++)); do
		[[ -s $work/rc ]] && break
		sleep 0.1
	done
	$T kill-server 2>/dev/null
	cat "$work/stderr" >>"$out"
	rc=$(cat "$work/rc" 2>/dev/null)
	[[ -n $rc ]] || rc=timeout
}

while IFS=$'\t' read -r name needs want regex cmd; do
	[[ -z $name || $name == \#* ]] && continue
	out=$work/$name.out
	case $needs in
	root)
		if ((EUID != 0)); then
			skip_row "$name" "probes need root"
			continue
		fi
		;;
	tmux:*)
		if ((EUID != 0)) || ! command -v tmux >/dev/null; then
			skip_row "$name" "needs root and tmux"
			continue
		fi
		;;
	esac
	if [[ $needs == tmux:* ]]; then
		run_tmux "${needs#tmux:}" "$regex" "$cmd" "$out"
	else
		timeout -k 5 "$LIMIT" bash -c "$cmd" >"$out" 2>&1 </dev/null
		rc=$?
	fi
	why=
	if [[ $rc == timeout || $rc == 124 || $rc == 137 ]]; then
		why="hung (killed after ${LIMIT}s)"
	elif ((rc > 128)); then
		why="died of signal $((rc - 128))"
	elif [[ $rc != "$want" ]]; then
		why="exit $rc, expected $want"
	elif ! grep -Pzq -- "$regex" "$out"; then
		why="output does not match /$regex/"
	elif [[ $needs != tmux:* ]]; then
		why=$(unsafe_bytes "$out")
		[[ -n $why ]] && why="printed $why"
	fi
	if [[ -n $why ]]; then
		echo "FAIL $name: $why"
		echo "  command: $cmd"
		head -c 600 "$out" | cat -v | sed 's/^/  | /'
		failed=$((failed + 1))
	else
		echo "ok   $name"
		pass=$((pass + 1))
	fi
done <"$TABLE"

echo "hostile: $pass passed, $failed failed, $skipped skipped"
((failed == 0)) || exit 1
((pass > 0)) || exit 77
exit 0
