#!/bin/sh
# A lying DNS server: escape sequences, CR LF, invalid UTF-8, bidi
# overrides, 253-character and malformed names never reach the terminal,
# the JSON or the CSV unescaped, and never stop the report.
. "$(dirname "$0")/dns_lib.sh"

dns_start_hostile 5354
srv="--dns-server 127.0.0.1:5354"
targets=""
for n in 1 2 3 4 7 8 9; do
	dns_in ip addr add "10.66.0.$n/32" dev lo
	targets="$targets 10.66.0.$n"
done

t0=$(dns_ms)
dns_in "$NTRACE" -r -c 1 -z $srv $targets >"$DNS_TMP/text" 2>&1
t1=$(dns_ms)
dns_no_controls "$DNS_TMP/text" "text report"
if grep -q "?\[31mred" "$DNS_TMP/text"; then
	dns_ok "the ESC of a PTR name shows as '?'"
else
	dns_fail "want '?[31mred' in the report"; cat "$DNS_TMP/text"
fi
# 10.66.0.8's answers carry the wrong id (spoofed): ignored, 0.9 s spent.
if [ $((t1 - t0)) -lt 2000 ]; then
	dns_ok "report done in $((t1 - t0)) ms with a spoofing server"
else
	dns_fail "report took $((t1 - t0)) ms"
fi

dns_in "$NTRACE" --json -c 1 -z $srv $targets >"$DNS_TMP/json" 2>&1
dns_no_controls "$DNS_TMP/json" "JSON report"
if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
names = {}
for t in d["traces"]:
    for h in t["hops"]:
        for x in h["hosts"]:
            names[x["address"]] = (x["name"], x["asn"])
assert names["10.66.0.1"] == ("?[31mred??.evil.lab", "AS64501"), names
n = names["10.66.0.2"][0]
assert len(n) == 253 and n.endswith("b" * 61), n
assert names["10.66.0.3"][0] is None, names      # RDATA past the end
assert names["10.66.0.4"][0] is None, names      # compression loop
assert names["10.66.0.7"][0] == "x??(?2J?evil.lab", names
assert names["10.66.0.8"][0] is None, names      # spoofed id
assert names["10.66.0.9"][0] is None, names      # over 255 bytes
' "$DNS_TMP/json"; then
	dns_ok "JSON holds the sanitised names, malformed ones dropped"
else
	dns_fail "JSON names"; cat "$DNS_TMP/json"
fi

dns_in "$NTRACE" --csv -c 1 -z $srv $targets >"$DNS_TMP/csv" 2>&1
dns_no_controls "$DNS_TMP/csv" "CSV report"
if python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
width = {len(r) for r in rows}
assert len(width) == 1, width   # CR LF inside a name broke no row
assert len(rows) == 1 + 7, len(rows)
' "$DNS_TMP/csv"; then
	dns_ok "CSV rows stay whole"
else
	dns_fail "CSV rows"; cat "$DNS_TMP/csv"
fi
exit $dns_failed
