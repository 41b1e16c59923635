# Shared setup for the dns_*.sh lab tests: a private network namespace with
# only loopback, DNS servers on 127.0.0.1 inside it, and checks. Every query
# goes to an explicit --dns-server inside the namespace, never to resolv.conf.
# Sourced, not run. Exit 77 means "skipped" to automake.

: "${NTRACE:=${top_builddir:-.}/ntrace}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"

dns_skip() {
	if [ "${NTRACE_LAB_REQUIRED:-0}" = 1 ]; then
		echo "ERROR (NTRACE_LAB_REQUIRED=1): $*"
		exit 99
	fi
	echo "SKIP: $*"
	exit 77
}
dns_fail() { echo "FAIL: $*"; dns_failed=1; }
dns_ok() { echo "ok: $*"; }
dns_failed=0

[ "$(id -u)" = 0 ] || dns_skip "network namespaces need root"
command -v ip >/dev/null || dns_skip "no ip(8)"
[ -x "$NTRACE" ] || dns_skip "no ntrace binary at $NTRACE"

DNS_NS="ntdns$$"
DNS_TMP=$(mktemp -d /tmp/ntrace-dns.XXXXXX)
dns_pids=""

dns_cleanup() {
	for p in $dns_pids; do kill "$p" 2>/dev/null; done
	ip netns del "$DNS_NS" 2>/dev/null
	rm -rf "$DNS_TMP"
}
trap dns_cleanup EXIT INT TERM

ip netns add "$DNS_NS" || dns_skip "cannot create a network namespace"
ip netns exec "$DNS_NS" ip link set lo up

dns_in() { ip netns exec "$DNS_NS" "$@"; }

# Waits until a UDP port answers a DNS question (or 3 s pass).
dns_wait_port() {
	i=0
	while [ $i -lt 30 ]; do
		if dns_in python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.1)
q = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x04ping\x03lab\x00\x00\x01\x00\x01"
s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
s.recv(512)
PY
		then return 0; fi
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Starts dnsmasq on 127.0.0.1:$1 with the lab's records (extra args after).
dns_start_dnsmasq() {
	port=$1; shift
	command -v dnsmasq >/dev/null || dns_skip "no dnsmasq"
	# Not through dns_in: $! must be the server itself to kill it.
	ip netns exec "$DNS_NS" dnsmasq --keep-in-foreground --port="$port" \
	    --listen-address=127.0.0.1 --bind-interfaces --no-resolv \
	    --no-hosts --pid-file="$DNS_TMP/dnsmasq.$port.pid" \
	    --local=/lab/ --local=/in-addr.arpa/ --local=/ip6.arpa/ \
	    --local=/cymru.com/ --log-queries --log-facility="$DNS_TMP/dnsmasq.$port.log" \
	    "$@" &
	dns_pids="$dns_pids $!"
	dns_wait_port "$port" || dns_skip "dnsmasq did not start"
}

# Starts tests/lab/dns_hostile.py on 127.0.0.1:$1.
dns_start_hostile() {
	command -v python3 >/dev/null || dns_skip "no python3"
	DNS_HOSTILE_LOG="$DNS_TMP/hostile.log" ip netns exec "$DNS_NS" python3 \
	    "$top_srcdir/tests/lab/dns_hostile.py" "$1" &
	dns_pids="$dns_pids $!"
	dns_wait_port "$1" || dns_skip "dns_hostile.py did not start"
}

# Milliseconds since the epoch, for timing a run.
dns_ms() { date +%s%3N; }

# Fails when file $1 is not valid UTF-8 or holds a character a terminal
# acts on (C0/C1 controls but newline and tab, DEL, bidi overrides).
dns_no_controls() {
	if python3 - "$1" <<'PY'
import sys
t = open(sys.argv[1], "rb").read().decode("utf-8")
bad = [c for c in t if (ord(c) < 32 and c not in "\n\t") or
       0x7f <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e or
       0x2066 <= ord(c) <= 0x2069]
sys.exit(1 if bad else 0)
PY
	then
		dns_ok "$2: clean UTF-8 without control characters"
	else
		dns_fail "$2: unsafe bytes reached the output"
		LC_ALL=C cat -A "$1" | head -20
	fi
}
