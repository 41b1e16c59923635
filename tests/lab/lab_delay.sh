#!/usr/bin/env bash
# linkem's impairments as ping sees them: per-link delays add up within
# 1 ms, jitter never reorders unless asked, and a seeded 10% loss per
# direction loses 19% of round trips within the binomial bound.
. "${top_srcdir:-.}/tests/lab/lib.sh"
lab_require ping

# The replies of a ping run in arrival order, as "seq rtt" lines.
replies() {
	lab_exec "$(lab_src)" ping "$@" 2>/dev/null |
		sed -n 's/.*icmp_seq=\([0-9]*\) .*time=\([0-9.]*\) ms.*/\1 \2/p'
}

# How many replies arrived after a reply with a higher sequence number.
reordered() {
	awk '$1 < max { n++ } $1 > max { max = $1 } END { print n + 0 }'
}

# 1. Delays: 5 ms and 12 ms one way on two links, 34 ms round trip.
lab_up "src -[delay=5ms]- r1 -[delay=12ms]- r2 - dst" || lab_error "lab_up failed"
for fam in 4 6; do
	out=$(replies -c 20 -i 0.02 -W 1 "$(lab_addr dst $fam)")
	assert_eq 20 "$(wc -l <<<"$out")" "replies through delayed links (IPv$fam)"
	read -r min avg max < <(awk '{ s += $2; if (min == "" || $2 < min) min = $2;
	    if ($2 > max) max = $2 } END { printf "%.3f %.3f %.3f\n", min, s / NR, max }' <<<"$out")
	note "IPv$fam RTT configured 34 ms: min $min avg $avg max $max ms"
	assert_between 33 35 "$min" "minimum RTT for 2 x (5 + 12) ms (IPv$fam)"
	# The minimum is the link's delay; a busy CPU only ever adds to the mean.
	assert_between 33 37 "$avg" "average RTT for 2 x (5 + 12) ms (IPv$fam)"
done
lab_down

# 2. Jitter: +-3 ms uniform at 10 ms, probes 1 ms apart, so without the
# FIFO rule about a third of the replies would overtake each other.
lab_up "src -[delay=10ms,jitter=3ms]- dst" || lab_error "lab_up failed"
out=$(replies -c 200 -i 0.001 -W 1 "$(lab_addr dst 4)")
assert_between 195 200 "$(wc -l <<<"$out")" "replies through a jittery link"
assert_eq 0 "$(reordered <<<"$out")" "replies reordered by jitter without 'reorder'"
read -r min max < <(awk 'NR == 1 || $2 < min { min = $2 } $2 > max { max = $2 }
    END { print min, max }' <<<"$out")
note "jitter 10+-3 ms each way: RTT from $min to $max ms"
# 14..26 ms in theory; FIFO order can hold a packet behind a slower one and
# a busy CPU wakes late, so allow a little past the top.
assert_between 13 29 "$min" "minimum RTT with jitter"
assert_between 13 29 "$max" "maximum RTT with jitter"
lab_down

lab_up "src -[delay=10ms,jitter=3ms,reorder]- dst" || lab_error "lab_up failed"
out=$(replies -c 200 -i 0.001 -W 1 "$(lab_addr dst 4)")
n=$(reordered <<<"$out")
note "with 'reorder': $n of $(wc -l <<<"$out") replies overtaken"
assert_between 10 200 "$n" "replies reordered with 'reorder'"
lab_down

# 3. Loss: 10% each way on one link with a fixed seed.
lab_up "src - r1 -[loss=10%,seed=7]- r2 - dst" || lab_error "lab_up failed"
N=400
read -r got _ < <(lab_ping -c $N -i 0.01 -W 1 "$(lab_addr dst 4)")
assert_binomial $((N - got)) $N 0.19 "round trips lost with 10% loss each way"
pid=$(cat "$LAB_DIR/linkem2.pid")
kill -USR1 "$pid"
for ((i = 0; i < 100; i++)); do
	[[ $(grep -c 'rx=' "$LAB_DIR/linkem2.log") -ge 2 ]] && break
	sleep 0.01
done
for dir in 'a>b' 'b>a'; do
	read -r rx lost < <(sed -n "s/^linkem: $dir rx=\([0-9]*\) .*lost=\([0-9]*\) .*/\1 \2/p" \
	    "$LAB_DIR/linkem2.log" | tail -n1)
	[[ -n $rx ]] || lab_error "no linkem statistics in $LAB_DIR/linkem2.log"
	assert_binomial "$lost" "$rx" 0.10 "linkem $dir packets lost"
done
lab_down
exit 0
