#!/bin/sh
# A dead or silent DNS server never delays probing and delays the end of a
# report by at most 1 s; a target behind it fails fast with a clear error.
. "$(dirname "$0")/dns_lib.sh"

dns_start_hostile 5354
dns_in ip addr add 10.66.0.6/32 dev lo	# its PTR and TXT are never answered

# Nothing listens on 127.0.0.1:5399: ICMP port unreachable, at once.
t0=$(dns_ms)
dns_in "$NTRACE" -r -c 1 -z --dns-server 127.0.0.1:5399 10.66.0.6 \
    >"$DNS_TMP/out" 2>&1
t1=$(dns_ms)
if grep -q "10\.66\.0\.6" "$DNS_TMP/out" && [ $((t1 - t0)) -lt 1500 ]; then
	dns_ok "dead server: report in $((t1 - t0)) ms"
else
	dns_fail "dead server: $((t1 - t0)) ms"; cat "$DNS_TMP/out"
fi

# A silent server: c-ares gives up after 300 + 600 ms, under the 1 s cap.
t0=$(dns_ms)
dns_in "$NTRACE" -r -c 1 -z --dns-server 127.0.0.1:5354 10.66.0.6 \
    >"$DNS_TMP/out" 2>&1
t1=$(dns_ms)
if grep -q "10\.66\.0\.6" "$DNS_TMP/out" && [ $((t1 - t0)) -lt 1500 ]; then
	dns_ok "silent server: report in $((t1 - t0)) ms"
else
	dns_fail "silent server: $((t1 - t0)) ms"; cat "$DNS_TMP/out"
fi

# Probing does not wait for names: 3 cycles at 0.2 s, names never come.
t0=$(dns_ms)
dns_in "$NTRACE" -r -c 3 -i 0.2 --dns-server 127.0.0.1:5354 10.66.0.6 \
    >"$DNS_TMP/out" 2>&1
t1=$(dns_ms)
if grep -q " 3 " "$DNS_TMP/out" && [ $((t1 - t0)) -lt 2000 ]; then
	dns_ok "3 cycles sent in $((t1 - t0)) ms while names time out"
else
	dns_fail "3 cycles: $((t1 - t0)) ms"; cat "$DNS_TMP/out"
fi

# Target errors from the same servers.
dns_in "$NTRACE" -r -c 1 --dns-server 127.0.0.1:5354 silent.lab \
    >"$DNS_TMP/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "timeout" "$DNS_TMP/out"; then
	dns_ok "silent.lab: timeout reported"
else
	dns_fail "silent.lab: want a timeout error (rc=$rc)"; cat "$DNS_TMP/out"
fi
dns_in "$NTRACE" -r -c 1 --dns-server 127.0.0.1:5354 servfail.lab \
    >"$DNS_TMP/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "SERVFAIL" "$DNS_TMP/out"; then
	dns_ok "servfail.lab: SERVFAIL reported"
else
	dns_fail "servfail.lab: want SERVFAIL (rc=$rc)"; cat "$DNS_TMP/out"
fi
dns_in "$NTRACE" -r -c 1 --dns-server junk 127.0.0.1 >"$DNS_TMP/out" 2>&1
rc=$?
if [ $rc -ne 0 ] && grep -q "dns-server" "$DNS_TMP/out"; then
	dns_ok "--dns-server junk rejected"
else
	dns_fail "--dns-server junk: rc=$rc"; cat "$DNS_TMP/out"
fi
exit $dns_failed
