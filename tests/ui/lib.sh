# Helpers for the tmux-driven UI tests: each test runs the real ntrace in a
# tmux server of its own and reads the screen with capture-pane, polling
# up to a deadline (in tenths of a second) instead of sleeping a fixed time.
# shellcheck shell=sh

NTRACE=${NTRACE:-${top_builddir:-.}/ntrace}
UI_SOCK="ntrace-ui-$$"
UI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ntrace-ui.XXXXXX") || exit 99
UI_T="tmux -L $UI_SOCK -f /dev/null"
UI_SESSION=ui
UI_WRAP=			# e.g. "ip netns exec NS" for the lab

ui_cleanup() {
	$UI_T kill-server 2>/dev/null
	rm -rf "$UI_DIR"
}
trap ui_cleanup EXIT
trap 'exit 1' INT TERM HUP

# Skips (77) unless we may probe, or fails when the lab is required.
ui_require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		if [ "${NTRACE_LAB_REQUIRED:-0}" = 1 ]; then
			echo "FAIL: not root and NTRACE_LAB_REQUIRED=1"
			exit 1
		fi
		echo "SKIP: raw probes need root"
		exit 77
	fi
	if ! command -v tmux >/dev/null 2>&1; then
		if [ "${NTRACE_LAB_REQUIRED:-0}" = 1 ]; then
			echo "FAIL: tmux is missing"
			exit 1
		fi
		echo "SKIP: tmux is missing"
		exit 77
	fi
	if [ ! -x "$NTRACE" ]; then
		echo "FAIL: no binary at $NTRACE"
		exit 1
	fi
}

# ui_start COLS ROWS ARGS...: runs ntrace in a fresh pane. When it ends,
# its exit code and the terminal modes land in files we can check.
ui_start() {
	ui_cols=$1
	ui_rows=$2
	shift 2
	printf '%s\n' "$@" >"$UI_DIR/args"
	cat >"$UI_DIR/run.sh" <<EOS
#!/bin/sh
# Like an interactive shell, outlive the Ctrl-C meant for ntrace.
trap : INT
set --
while IFS= read -r a; do set -- "\$@" "\$a"; done <"$UI_DIR/args"
$UI_WRAP "$NTRACE" "\$@" 2>"$UI_DIR/stderr"
echo \$? >"$UI_DIR/rc.tmp"
stty -a >"$UI_DIR/stty" 2>&1
mv "$UI_DIR/rc.tmp" "$UI_DIR/rc"
echo "ntrace exited"
exec sleep 600
EOS
	chmod +x "$UI_DIR/run.sh"
	$UI_T new-session -d -s "$UI_SESSION" -x "$ui_cols" -y "$ui_rows" \
		"env TERM=xterm-256color LANG=${UI_LANG:-C.UTF-8} LC_ALL=${UI_LANG:-C.UTF-8} $UI_DIR/run.sh" || exit 99
}

ui_screen() {
	$UI_T capture-pane -p -t "$UI_SESSION"
}

ui_keys() {
	$UI_T send-keys -t "$UI_SESSION" "$@"
}

# ui_wait SECONDS EGREP: polls the screen until it matches.
ui_wait() {
	ui_n=$(( $1 * 10 ))
	while [ "$ui_n" -gt 0 ]; do
		ui_n=$(( ui_n - 1 ))
		if ui_screen | grep -Eq -- "$2"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# ui_wait_not SECONDS EGREP: polls until the screen no longer matches.
ui_wait_not() {
	ui_n=$(( $1 * 10 ))
	while [ "$ui_n" -gt 0 ]; do
		ui_n=$(( ui_n - 1 ))
		if ! ui_screen | grep -Eq -- "$2"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# ui_field TTL N: the Nth whitespace-separated word of the TTL's hop row
# (1: "TTL.", 2: host, then the -o fields in order).
ui_field() {
	ui_screen | awk -v t="$1." -v n="$2" '$1 == t { print $n; exit }'
}

# ui_wait_field_gt SECONDS TTL N VALUE: polls until that field exceeds VALUE.
ui_wait_field_gt() {
	ui_n=$(( $1 * 10 ))
	while [ "$ui_n" -gt 0 ]; do
		ui_n=$(( ui_n - 1 ))
		v=$(ui_field "$2" "$3")
		if [ -n "$v" ] && [ "$v" -gt "$4" ] 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# ui_wait_exit SECONDS: waits for ntrace to end; prints its exit code.
ui_wait_exit() {
	ui_n=$(( $1 * 10 ))
	while [ "$ui_n" -gt 0 ]; do
		ui_n=$(( ui_n - 1 ))
		if [ -f "$UI_DIR/rc" ]; then
			cat "$UI_DIR/rc"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# The terminal is back in cooked mode with echo, off the alternate screen.
ui_check_restored() {
	if ! grep -Eq '(^|[ ;])icanon' "$UI_DIR/stty" ||
	    ! grep -Eq '(^|[ ;])echo([ ;]|$)' "$UI_DIR/stty"; then
		echo "terminal modes not restored:"
		cat "$UI_DIR/stty"
		return 1
	fi
	if ui_screen | grep -q 'Loss%'; then
		echo "the table is still on the screen after exit:"
		ui_screen
		return 1
	fi
	return 0
}

ui_fail() {
	echo "FAIL: $*"
	echo "--- screen ---"
	ui_screen
	echo "--- stderr ---"
	cat "$UI_DIR/stderr" 2>/dev/null
	exit 1
}
