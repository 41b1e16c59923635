#!/bin/sh
# PTR names and AS data through c-ares from a lab dnsmasq; -n turns names
# off; target errors (NXDOMAIN, NODATA, bad names) are clear.
. "$(dirname "$0")/dns_lib.sh"

dns_start_dnsmasq 5353 \
    --address=/loop.lab/127.0.0.2 \
    --host-record=v4only.lab,127.0.0.3 \
    --ptr-record=2.0.0.127.in-addr.arpa,router9.lab \
    --txt-record=2.0.0.127.origin.asn.cymru.com,"64500 | 127.0.0.0/8 | ZZ | lab | 2026-01-01"
srv="--dns-server 127.0.0.1:5353"

dns_in "$NTRACE" -r -c 1 -z $srv loop.lab >"$DNS_TMP/out" 2>&1
if grep -q "AS64500 *router9\.lab" "$DNS_TMP/out"; then
	dns_ok "-z shows the PTR name and AS number"
else
	dns_fail "-z: want 'AS64500 router9.lab'"; cat "$DNS_TMP/out"
fi

dns_in "$NTRACE" -r -c 1 -n $srv loop.lab >"$DNS_TMP/out" 2>&1
if grep -q "127\.0\.0\.2" "$DNS_TMP/out" && ! grep -q router9 "$DNS_TMP/out"; then
	dns_ok "-n shows the address, not the name"
else
	dns_fail "-n: want 127.0.0.2 without router9.lab"; cat "$DNS_TMP/out"
fi

dns_in "$NTRACE" --json -c 1 -y 1 $srv loop.lab >"$DNS_TMP/out" 2>&1
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
h = d["traces"][0]["hops"][0]["hosts"][0]
assert h["name"] == "router9.lab", h
assert h["asn"] == "AS64500", h
' "$DNS_TMP/out"; then
	dns_ok "--json carries name and asn"
else
	dns_fail "--json: want name router9.lab, asn AS64500"; cat "$DNS_TMP/out"
fi

# Target errors: a message naming the cause and a failing exit status.
check_err() {
	want=$1; shift
	dns_in "$NTRACE" -r -c 1 $srv "$@" >"$DNS_TMP/out" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && grep -q "$want" "$DNS_TMP/out"; then
		dns_ok "$*: '$want'"
	else
		dns_fail "$*: want '$want' and a failing status (rc=$rc)"
		cat "$DNS_TMP/out"
	fi
}
check_err "no such host (NXDOMAIN)" nosuch.lab
check_err "no IPv6 address (NODATA)" -6 v4only.lab
check_err "is not a host name or address" 'bad name.lab'
check_err "is not an IPv6 address" -6 127.0.0.2

# Queries went to the lab server; each name was asked for once.
if [ "$(grep -c 'query\[PTR\] 2.0.0.127.in-addr.arpa' \
    "$DNS_TMP/dnsmasq.5353.log")" -ge 1 ]; then
	dns_ok "PTR queries reached the lab dnsmasq"
else
	dns_fail "no PTR query in the dnsmasq log"
fi
exit $dns_failed
