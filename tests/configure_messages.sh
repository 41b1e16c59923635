#!/bin/sh
# configure stops with the package to install when a library is missing:
# hide one .pc file at a time from pkg-config and read configure's message.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
pcdir=$(pkg-config --variable pcfiledir libcares 2>/dev/null)
if [ -z "$pcdir" ]; then
	echo "configure_messages: SKIP: libcares.pc not found (nothing to hide)"
	exit 77
fi
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
fail=0
# A bare source tree: configure refuses a VPATH build of a configured tree.
mkdir -p "$work/src/src"
cp "$top/configure" "$work/src/" || exit 99
cp -r "$top/build-aux" "$work/src/" || exit 99
cp "$top/src/main.c" "$work/src/src/" || exit 99

# expect HIDE PATTERN: configure without HIDE's .pc files must fail with PATTERN.
expect() {
	hide=$1 pattern=$2
	rm -rf "$work/pc" "$work/build"
	mkdir -p "$work/pc" "$work/build"
	for pc in "$pcdir"/*.pc; do
		case " $hide " in
		*" $(basename "$pc" .pc) "*) ;;
		*) ln -s "$pc" "$work/pc/" ;;
		esac
	done
	if (cd "$work/build" && PKG_CONFIG_LIBDIR="$work/pc" PKG_CONFIG_PATH= \
	    "$work/src/configure" >"$work/out" 2>&1); then
		echo "FAIL: configure succeeded without $hide"
		fail=1
	elif grep -q "$pattern" "$work/out"; then
		echo "ok: without $hide configure says: $(grep -m1 "$pattern" "$work/out")"
	else
		echo "FAIL: without $hide configure did not mention '$pattern':"
		tail -5 "$work/out"
		fail=1
	fi
}

expect "libcares" "apt-get install libc-ares-dev"
expect "libcares" "dnf install c-ares-devel"
expect "ncursesw ncurses" "apt-get install libncurses-dev"
expect "ncursesw ncurses" "brew install ncurses"
expect "cmocka" "apt-get install libcmocka-dev"
exit $fail
