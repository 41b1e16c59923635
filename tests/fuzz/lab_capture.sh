#!/usr/bin/env bash
# Captures real replies in a lab for the fuzz_packet seed corpus: ntrace
# runs ICMP, UDP and TCP over IPv4 and IPv6 through two routers, to a
# listening, a closed and a prohibited destination, while tcpdump records
# the source's link; pcap_split.py turns the capture into seed files.
#   sudo tests/fuzz/lab_capture.sh [OUTDIR]   (default tests/fuzz/corpus/packet)
# Needs root, ip, tcpdump, python3 and a built ntrace; probes stay in the lab.
set -u
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
. "$top_srcdir/tests/lab/trace_lib.sh"
out=${1:-$top_srcdir/tests/fuzz/corpus/packet}
lab_require tcpdump python3
lab_require_ntrace

lab_up "src - r1 - r2 - dst[listen=80]" || lab_error "lab_up failed"
lab_exec src ip route add 10.77.99.0/24 via 10.77.1.2
lab_exec src ip -6 route add fd77:99::/64 via fd77:1::2
lab_exec r1 ip route add prohibit 10.77.99.0/24
lab_exec r1 ip -6 route add prohibit fd77:99::/64
cap=$(mktemp /tmp/ntrace-cap.XXXXXX)
lab_exec src tcpdump -i ln1 -w "$cap" -U -s 0 -n 'icmp or icmp6 or tcp' \
    2>/dev/null &
tcpdump_pid=$!
sleep 1
for t in 10.77.3.2 fd77:3::2 10.77.99.1 fd77:99::1; do
	nt -j -c 2 -i 0.2 -Z 0.5 --retries 0 -e --icmp --udp "$t" >/dev/null
	nt -j -c 2 -i 0.2 -Z 0.5 --retries 0 -T -P 80 "$t" >/dev/null
	nt -j -c 2 -i 0.2 -Z 0.5 --retries 0 -T -P 81 "$t" >/dev/null
	nt -j -c 2 -i 0.2 -Z 0.5 --retries 0 -s 1400 -u "$t" >/dev/null
done
sleep 0.5
kill "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null
python3 "$top_srcdir/tests/fuzz/pcap_split.py" --hostile "$cap" "$out"
rm -f "$cap"
lab_down
