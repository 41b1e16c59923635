#!/usr/bin/env bash
# lib.sh: helpers shared by the lab tests (sourced, never run).
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.
# NTRACE_LAB_REQUIRED=1 turns every skip into a hard error, for CI runs
# that must not pass by skipping.

LAB_TEST=$(basename "$0" .sh)
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${NTRACE:=$top_builddir/ntrace}"
LAB_LINKEM=${LAB_LINKEM:-$top_builddir/tests/lab/linkem}
export NTRACE LAB_LINKEM

# shellcheck source=tests/lab/lab.sh
. "$top_srcdir/tests/lab/lab.sh"

# Skip the test (77), or fail hard (99) when the lab is required.
lab_skip() {
	if [[ ${NTRACE_LAB_REQUIRED:-0} == 1 ]]; then
		echo "$LAB_TEST: ERROR (NTRACE_LAB_REQUIRED=1): $*" >&2
		exit 99
	fi
	echo "$LAB_TEST: SKIP: $*" >&2
	exit 77
}

# Stop with a hard error: the test itself is broken, not the code.
lab_error() {
	echo "$LAB_TEST: ERROR: $*" >&2
	exit 99
}

fail() {
	echo "$LAB_TEST: FAIL: $*" >&2
	exit 1
}

note() {
	echo "$LAB_TEST: $*"
}

# Check that this process can build labs, or skip saying why.
lab_require() {
	local probe=ntprobe$$ c
	((EUID == 0)) || lab_skip "lab tests need root (network namespaces); run: sudo make check"
	for c in ip "$@"; do
		command -v "$c" >/dev/null 2>&1 || lab_skip "'$c' is not installed"
	done
	ip netns add "$probe" 2>/dev/null ||
		lab_skip "cannot create network namespaces (ip netns add failed)"
	ip netns del "$probe"
	[[ -c /dev/net/tun ]] || lab_skip "/dev/net/tun is missing (modprobe tun)"
	[[ -x $LAB_LINKEM ]] ||
		lab_error "linkem is not built at $LAB_LINKEM (make check builds it)"
}

# Skip unless the ntrace binary has been built.
lab_require_ntrace() {
	[[ -x $NTRACE ]] || lab_skip "ntrace is not built at $NTRACE"
}

assert_eq() {
	[[ $2 == "$1" ]] || fail "$3: expected '$1', got '$2'"
}

assert_match() {
	[[ $2 =~ $1 ]] || fail "$3: '$2' does not match /$1/"
}

# Pass if LO <= VALUE <= HI (decimal numbers allowed).
assert_between() {
	local lo=$1 hi=$2 v=$3
	awk -v lo="$lo" -v hi="$hi" -v v="$v" \
	    'BEGIN { exit !(v != "" && v + 0 >= lo + 0 && v + 0 <= hi + 0) }' ||
		fail "$4: $v is not within [$lo, $hi]"
}

# The two-sided binomial acceptance interval "LO HI" for the count of
# successes in N trials of probability P: P(X < LO) and P(X > HI) are each
# at most ALPHA/2 (default ALPHA 1e-6), computed exactly in log space.
binom_bound() {
	awk -v n="$1" -v p="$2" -v alpha="${3:-1e-6}" 'BEGIN {
		if (p <= 0) { print 0, 0; exit }
		if (p >= 1) { print n, n; exit }
		lp = n * log(1 - p)
		max = lp
		for (k = 0; k <= n; k++) {
			l[k] = lp
			if (lp > max)
				max = lp
			lp += log(n - k) - log(k + 1) + log(p) - log(1 - p)
		}
		total = 0
		for (k = 0; k <= n; k++)
			total += exp(l[k] - max)
		lo = 0
		cdf = 0
		for (k = 0; k <= n; k++) {
			cdf += exp(l[k] - max) / total
			if (cdf > alpha / 2) { lo = k; break }
		}
		hi = n
		tail = 0
		for (k = n; k >= 0; k--) {
			tail += exp(l[k] - max) / total
			if (tail > alpha / 2) { hi = k; break }
		}
		print lo, hi
	}'
}

# Assert that COUNT successes out of N fit probability P (alpha 1e-6).
assert_binomial() {
	local count=$1 n=$2 p=$3 what=$4 lo hi
	read -r lo hi < <(binom_bound "$n" "$p")
	((count >= lo && count <= hi)) ||
		fail "$what: $count of $n is outside the binomial 1e-6 interval [$lo, $hi] for p=$p"
	note "$what: $count of $n within [$lo, $hi] (p=$p)"
}

# Run traceroute in the source namespace and print one address per hop
# ('*' for no answer).
lab_traceroute() {
	local fam=$1 dst=$2
	shift 2
	lab_exec "$(lab_src)" traceroute "-$fam" -n -q1 -w1 "$@" "$dst" 2>/dev/null |
		awk 'NR > 1 { print $2 }'
}

# Ping from the source namespace; print "received avg_ms" (avg empty if
# nothing came back).
lab_ping() {
	local out
	out=$(lab_exec "$(lab_src)" ping -q "$@" 2>&1)
	awk '/received/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^received/) r = $i }
	    /^rtt|^round-trip/ { split($4, a, "/"); avg = a[2] }
	    END { print r + 0, avg }' <<<"$out"
}
