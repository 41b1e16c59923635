#!/usr/bin/env bash
# The exact lab path with ICMP, UDP and TCP over IPv4 and IPv6, with the raw
# back end (root) and the unprivileged one (nobody, no capabilities).
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3 setpriv
lab_require_ntrace

lab_up "src - r1 - r2 -[delay=1ms]- r3 - dst[listen=80]" || lab_error "lab_up failed"

check() {
	local what=$1 fam=$2 out want got
	shift 2
	out=$("$@") || fail "$what: ntrace exited $?"
	want=$(lab_hops "$fam" | tr '\n' ' ')
	got=$(json_hops <<<"$out" | tr '\n' ' ')
	assert_eq "$want" "$got" "$what: hops"
	assert_eq True "$(jq_py "d['traces'][0]['reached']" <<<"$out")" "$what: reached"
	assert_eq "0.0" "$(jq_py "sorted(set(h['loss_pct'] for h in d['traces'][0]['hops']))" <<<"$out")" \
	    "$what: no loss on a clean path"
	# Every reply matched a probe of ours: never more received than sent.
	assert_eq "" "$(jq_py "[h['ttl'] for h in d['traces'][0]['hops'] if h['received'] > h['sent']]" <<<"$out")" \
	    "$what: received <= sent"
	note "$what: $got"
}

for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	for proto in icmp udp "tcp -P 80" "tcp -P 81"; do
		# shellcheck disable=SC2086
		set -- --$proto
		[[ $proto == tcp* ]] && set -- -T ${proto#tcp }
		check "raw $proto IPv$fam" "$fam" nt -j -c 2 -i 0.2 "$@" "$dst"
		check "unprivileged $proto IPv$fam" "$fam" nt_unpriv -j -c 2 -i 0.2 "$@" "$dst"
	done
done

# The back end in use is the one reported.
out=$(nt_unpriv -v)
assert_match "back end: unprivileged" "$out" "-v as nobody"
out=$(nt -v)
assert_match "back end: raw" "$out" "-v as root"

lab_down
exit 0
