#!/usr/bin/env bash
# A 4-router chain answers ping and gives the documented hop list, in both
# families, over veth and linkem links alike; nothing routes off the lab.
. "${top_srcdir:-.}/tests/lab/lib.sh"
lab_require traceroute ping

lab_up "src - r1 - r2 -[delay=1ms]- r3 - r4 - dst" || lab_error "lab_up failed"

for fam in 4 6; do
	dst=$(lab_addr dst $fam)
	assert_eq "$([[ $fam == 4 ]] && echo 10.77.5.2 || echo fd77:5::2)" \
	    "$dst" "dst address (IPv$fam)"
	read -r got _ < <(lab_ping -c 3 -i 0.05 -W 1 "$dst")
	assert_eq 3 "$got" "ping replies from dst (IPv$fam)"

	want=$(lab_hops $fam | tr '\n' ' ')
	got=$(lab_traceroute $fam "$dst" -m 8 | tr '\n' ' ')
	assert_eq "$want" "$got" "traceroute hops (IPv$fam)"
	note "IPv$fam hops: $got"
done
assert_eq "10.77.1.2 10.77.2.2 10.77.3.2 10.77.4.2 10.77.5.2 " \
    "$(lab_hops 4 | tr '\n' ' ')" "documented IPv4 hop scheme"
assert_eq "fd77:1::2 fd77:2::2 fd77:3::2 fd77:4::2 fd77:5::2 " \
    "$(lab_hops 6 | tr '\n' ' ')" "documented IPv6 hop scheme"

# No node may reach outside the lab: route lookups only, nothing is sent.
for node in src r1 r4 dst; do
	lab_exec "$node" ip -4 route get 192.0.2.1 >/dev/null 2>&1 &&
		fail "$node has a route to 192.0.2.1 outside the lab"
	lab_exec "$node" ip -6 route get 2001:db8::1 >/dev/null 2>&1 &&
		fail "$node has a route to 2001:db8::1 outside the lab"
done
lab_down
exit 0
