#!/usr/bin/env bash
# Router and host features the ntrace tests lean on: ECMP, ICMP rate
# limits, silent routers, destination firewalls, a TCP listener, link
# flaps and the lab DNS server.
. "${top_srcdir:-.}/tests/lab/lib.sh"
lab_require traceroute ping nft dnsmasq getent python3

lab_up "src - r1[icmp_ratelimit=1000] -[delay=1ms]- {r2a|r2b} - r3[silent] - dst[drop_echo,listen=8080,reject_tcp=81,drop_tcp=82]" ||
	lab_error "lab_up failed"

# The answering address of each answered probe of Q to hop TTL, one a line.
answers() {
	lab_exec src traceroute "-$1" -n -w1 -q "$3" -f "$2" -m "$2" "$(lab_addr dst "$1")" 2>/dev/null |
		awk 'NR > 1 { for (i = 2; i <= NF; i++) {
			# traceroute names an address once for a run of answers.
			if ($i ~ /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/ || $i ~ /^[0-9a-f]*:[0-9a-f:]*$/)
				a = $i
			else if ($i == "ms")
				print a
		} }'
}

for fam in 4 6; do
	# ECMP: hop 2 answers from both branches, and from nothing else.
	want=$(lab_hops $fam | sed -n 2p)
	got=$( (answers $fam 2 10; answers $fam 2 10) | sort -u | tr '\n' '|')
	got=${got%|}
	assert_eq "$want" "$got" "ECMP hop 2 answers (IPv$fam)"

	# r1 limits its ICMP errors to one a second after a burst of 6.
	limited=$(answers $fam 1 10 | wc -l)
	assert_between 1 7 "$limited" "rate-limited hop 1 answers of 10 (IPv$fam)"
	# r2a/r2b have no limit: 10 probes, 10 answers.
	n=$(answers $fam 2 10 | wc -l)
	assert_eq 10 "$n" "unlimited hop 2 answers (IPv$fam)"
	note "IPv$fam: rate-limited r1 answered $limited of 10, unlimited hop 2 $n of 10"

	# r3 is silent: hop 3 stays '*', the destination still answers.
	got=$(lab_traceroute $fam "$(lab_addr dst $fam)" -f 3 -m 6 | tr '\n' ' ')
	assert_eq "* $(lab_addr dst $fam) " "$got" "silent hop 3 then dst (IPv$fam)"

	# dst drops echo requests but accepts TCP on 8080.
	read -r n _ < <(lab_ping -c 2 -i 0.2 -W 1 "$(lab_addr dst $fam)")
	assert_eq 0 "$n" "echo replies from a dst that drops echo (IPv$fam)"
	a=$(lab_addr dst $fam)
	lab_exec src timeout 3 bash -c "exec 3<>/dev/tcp/$a/8080" ||
		fail "TCP connect to the listener on $a port 8080 failed"
	out=$(lab_exec src timeout 3 bash -c "exec 3<>/dev/tcp/$a/81" 2>&1) &&
		fail "TCP connect to rejected port 81 succeeded"
	assert_match "refused" "$out" "rejected port 81 (IPv$fam)"
	lab_exec src timeout 1 bash -c "exec 3<>/dev/tcp/$a/82" 2>/dev/null
	assert_eq 124 "$?" "dropped port 82 times out (IPv$fam)"
done

# A flapped link cuts the path and restores it, routes included; link 1
# is veth, links 2 and 3 (the ECMP branches) run through linkem.
for k in 1 2 3; do
	far=${LAB_LB[k]}
	lab_link_down "$k" || fail "lab_link_down $k"
	read -r n _ < <(lab_ping -c 1 -W 1 "$(lab_addr "$far" 4 "$k")")
	assert_eq 0 "$n" "ping across link $k while it is down"
	lab_link_up "$k" || fail "lab_link_up $k"
	for fam in 4 6; do
		read -r n _ < <(lab_ping -c 1 -W 1 "$(lab_addr "$far" "$fam" "$k")")
		assert_eq 1 "$n" "ping across link $k after it came back (IPv$fam)"
	done
done
for fam in 4 6; do
	read -r n _ < <(lab_ping -c 4 -i 0.05 -W 1 "$(lab_addr r3 "$fam")")
	assert_eq 4 "$n" "ping r3 across both ECMP branches after the flaps (IPv$fam)"
done
want=$(lab_hops 4 | sed -n 2p)
got=$( (answers 4 2 10; answers 4 2 10) | sort -u | tr '\n' '|')
assert_eq "$want" "${got%|}" "ECMP after the flaps"

# DNS: names and reverse names of the lab from 127.0.0.1 in src.
lab_dns src auto TXT:hello.lab=world A:www.example=192.0.2.80 ||
	lab_error "lab_dns failed"
assert_eq "10.77.2.2" "$(lab_exec src getent ahostsv4 r2a.lab | awk 'NR == 1 { print $1 }')" "A of r2a.lab"
assert_eq "fd77:2::2" "$(lab_exec src getent ahostsv6 r2a.lab | awk 'NR == 1 { print $1 }')" "AAAA of r2a.lab"
assert_eq "r2b.lab" "$(lab_exec src getent hosts 10.77.5.1 | awk '{ print $2 }')" "PTR of 10.77.5.1"
assert_eq "r3.lab" "$(lab_exec src getent hosts fd77:6::1 | awk '{ print $2 }')" "PTR of fd77:6::1"
assert_eq "192.0.2.80" "$(lab_exec src getent ahostsv4 www.example | awk 'NR == 1 { print $1 }')" "A of www.example"
txt=$(lab_exec src python3 - <<'PY'
import socket, struct
q = struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
q += b"".join(bytes([len(p)]) + p.encode() for p in "hello.lab".split(".")) + b"\0"
q += struct.pack(">HH", 16, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(q, ("127.0.0.1", 53))
r = s.recv(512)
# The answer's TXT data is the last <len><text> of a one-answer reply.
n = r[-len("world") - 1]
print(r[-n:].decode())
PY
)
assert_eq "world" "$txt" "TXT of hello.lab"
lab_down
exit 0
