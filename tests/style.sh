#!/bin/sh
# Layering and safety rules from STYLE.md that a machine can check:
# no curses in src/, no sockets in ui/, no banned calls anywhere.
top=${top_srcdir:-$(dirname "$0")/..}
cd "$top" || exit 99
fail=0

bad=$(grep -lE '#include *[<"](n?curses|ncursesw/|term)' src/*.c src/*.h 2>/dev/null)
if [ -n "$bad" ]; then
	echo "curses included outside ui/: $bad"
	fail=1
fi
bad=$(grep -lE '\b(socket|sendto|sendmsg|recvfrom|recvmsg|connect|bind|setsockopt)[[:space:]]*\(' ui/*.c ui/*.h 2>/dev/null)
if [ -n "$bad" ]; then
	echo "socket calls inside ui/: $bad"
	fail=1
fi
bad=$(grep -nE '(^|[^_a-zA-Z0-9.>])(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|atof|gets|gethostbyname|gethostbyaddr)\(' \
	src/*.c src/*.h ui/*.c ui/*.h tests/unit/*.c tests/lab/*.c 2>/dev/null)
if [ -n "$bad" ]; then
	echo "banned calls (use snprintf, memcpy with bounds, strtol with range checks, c-ares):"
	echo "$bad"
	fail=1
fi
[ $fail -eq 0 ] && echo "style: layering and banned-call checks pass"
exit $fail
