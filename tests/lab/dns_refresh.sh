#!/bin/sh
# A PTR record that changes during a live run: once the old record's TTL
# (10 s here, the cache's floor) has passed, ntrace asks again and shows
# the new name; the run itself never waits for DNS.
. "$(dirname "$0")/dns_lib.sh"

dns_start_dnsmasq 5354 --local-ttl=10 \
    --host-record=loop.lab,127.0.0.2 \
    --ptr-record=2.0.0.127.in-addr.arpa,old-name.lab
srv="--dns-server 127.0.0.1:5354"

# A 16 s run; the record changes 3 s in.
dns_in "$NTRACE" -j -c 33 -i 0.5 $srv loop.lab >"$DNS_TMP/out" 2>"$DNS_TMP/err" &
run=$!
sleep 3
kill $dns_pids 2>/dev/null
wait $dns_pids 2>/dev/null
dns_pids=""
dns_start_dnsmasq 5354 --local-ttl=10 \
    --host-record=loop.lab,127.0.0.2 \
    --ptr-record=2.0.0.127.in-addr.arpa,new-name.lab
wait $run || dns_fail "ntrace exited $?: $(cat "$DNS_TMP/err")"

if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
h = d["traces"][0]["hops"][0]["hosts"][0]
assert h["name"] == "new-name.lab", h
' "$DNS_TMP/out"; then
	dns_ok "the changed PTR record shows after its TTL"
else
	dns_fail "want name new-name.lab at the end of the run"; cat "$DNS_TMP/out"
fi
n=$(grep -c 'query\[PTR\] 2.0.0.127.in-addr.arpa' "$DNS_TMP/dnsmasq.5354.log")
if [ "$n" -ge 1 ]; then
	dns_ok "the new server was asked again after expiry ($n queries)"
else
	dns_fail "no PTR query reached the new server"
fi
exit $dns_failed
