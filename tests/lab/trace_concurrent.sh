#!/usr/bin/env bash
# Two ntrace runs at once, beside ping and mtr to the same target, never
# count each other's replies: every hop answers each run exactly as often as
# that run asked, over a clean path.
. "${top_srcdir:-.}/tests/lab/trace_lib.sh"
lab_require python3 ping mtr
lab_require_ntrace

lab_up "src - r1 -[delay=2ms]- r2 - dst" || lab_error "lab_up failed"
dir=$(mktemp -d)
trap 'rm -rf "$dir"; lab_down' EXIT

for fam in 4 6; do
	dst=$(lab_addr dst "$fam")
	for proto in --icmp --udp --tcp; do
		lab_exec src ping -q -i 0.01 -c 300 "$dst" >/dev/null 2>&1 &
		others=$!
		lab_exec src mtr -n -r -c 20 -i 0.1 "$dst" >/dev/null 2>&1 &
		others="$others $!"
		nt -j -c 40 -i 0.05 "$proto" "$dst" >"$dir/a.json" 2>"$dir/a.err" &
		a=$!
		nt -j -c 40 -i 0.05 "$proto" "$dst" >"$dir/b.json" 2>"$dir/b.err" &
		b=$!
		wait "$a" || fail "first ntrace exited $?: $(cat "$dir/a.err")"
		wait "$b" || fail "second ntrace exited $?: $(cat "$dir/b.err")"
		# shellcheck disable=SC2086
		wait $others
		for run in a b; do
			out=$(cat "$dir/$run.json")
			assert_eq "$(lab_hops "$fam" | tr '\n' ' ')" \
			    "$(json_hops <<<"$out" | tr '\n' ' ')" "IPv$fam $proto run $run: hops"
			assert_eq "40 40" \
			    "$(jq_py "sorted(set(h['sent'] for h in d['traces'][0]['hops']))" <<<"$out" | tr '\n' ' ' | sed 's/ $//') $(jq_py "sorted(set(h['received'] for h in d['traces'][0]['hops']))" <<<"$out" | tr '\n' ' ' | sed 's/ $//')" \
			    "IPv$fam $proto run $run: 40 sent and 40 received at every hop"
		done
		note "IPv$fam $proto: both runs clean beside ping and mtr"
	done
done
exit 0
