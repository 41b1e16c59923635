#!/usr/bin/env bash
# lab.sh: build a chain of network namespaces for ntrace's lab tests.
#
# As a library:  . tests/lab/lab.sh; lab_up "src - r1 -[delay=5ms]- r2 - dst"
# As a command:  tests/lab/lab.sh up "src - r1 - dst"   (prints the lab id)
#                tests/lab/lab.sh down ID
# See tests/lab/README.md for the description syntax and addressing.

# Where linkem lives; tests set top_builddir, a manual run finds it here.
: "${LAB_LINKEM:=${top_builddir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}/tests/lab/linkem}"
: "${LAB_STATE_ROOT:=/run/ntrace-lab}"
: "${LAB_PREFIX:=nt$$}"
# The system python starts faster than a version-manager shim.
: "${LAB_PYTHON:=$(command -v /usr/bin/python3 || command -v python3)}"

LAB_ID=
LAB_DIR=
LAB_OWNER=
LAB_SEQ=0
declare -a LAB_POS=()          # position -> "node" or "nodeA nodeB"
declare -a LAB_LA=() LAB_LB=() LAB_LOPT=() LAB_LTYPE=()
declare -A LAB_NOPT=() LAB_NPOS=()
LAB_NLINKS=0

lab__die() {
	echo "lab: $*" >&2
	return 1
}

# The namespace name of a node.
lab_ns() {
	echo "$LAB_ID-$1"
}

# Run a command inside a node's namespace.
lab_exec() {
	local node=$1
	shift
	ip netns exec "$LAB_ID-$node" "$@"
}

# The option value of KEY in a comma list, or the empty string.
lab__opt() {
	local list=",$1," key=$2 v
	case "$list" in
	*",$key="*)
		v=${list#*,"$key"=}
		echo "${v%%,*}"
		;;
	*",$key,"*)
		echo yes
		;;
	esac
}

# All values of a repeatable KEY in a comma list, one a line.
lab__opts() {
	local IFS=, item
	for item in $1; do
		case "$item" in
		"$2="*) echo "${item#*=}" ;;
		esac
	done
}

# Split "name[opts]" into the globals LAB__N and LAB__O.
lab__split_node() {
	local t=$1
	LAB__O=
	if [[ $t == *"["*"]" ]]; then
		LAB__O=${t#*\[}
		LAB__O=${LAB__O%]}
		t=${t%%\[*}
	fi
	[[ $t =~ ^[a-z][a-z0-9]{0,7}$ ]] ||
		{ lab__die "bad node name '$t' (a-z0-9, at most 8)"; return 1; }
	[[ -z ${LAB_NPOS[$t]+x} ]] ||
		{ lab__die "node '$t' appears twice"; return 1; }
	LAB__N=$t
}

# Parse a description into positions, nodes and links.
lab__parse() {
	local -a tok
	local t i pos=0 want=node linkopt= m
	read -r -a tok <<<"$1"
	for t in "${tok[@]}"; do
		if [[ $want == link ]]; then
			case "$t" in
			-) linkopt= ;;
			-\[*\]-|-\[*\]) linkopt=${t#-\[}; linkopt=${linkopt%-}
				linkopt=${linkopt%]} ;;
			*) lab__die "expected a link ('-' or '-[opts]-'), got '$t'"
				return 1 ;;
			esac
			want=node
			continue
		fi
		local members=() m
		if [[ $t == "{"*"}" ]]; then
			t=${t#\{}
			t=${t%\}}
			IFS='|' read -r -a members <<<"$t"
			((${#members[@]} == 2)) ||
				{ lab__die "an ECMP group has two members: {$t}"; return 1; }
		else
			members=("$t")
		fi
		pos=${#LAB_POS[@]}
		LAB_POS[pos]=
		for m in "${members[@]}"; do
			lab__split_node "$m" || return 1
			LAB_NOPT[$LAB__N]=$LAB__O
			LAB_NPOS[$LAB__N]=$pos
			LAB_POS[pos]+="${LAB_POS[pos]:+ }$LAB__N"
		done
		if ((pos > 0)); then
			local -a left right
			read -r -a left <<<"${LAB_POS[pos-1]}"
			read -r -a right <<<"${LAB_POS[pos]}"
			((${#left[@]} * ${#right[@]} <= 2)) ||
				{ lab__die "two ECMP groups may not be adjacent"; return 1; }
			local a b
			for a in "${left[@]}"; do
				for b in "${right[@]}"; do
					LAB_NLINKS=$((LAB_NLINKS + 1))
					LAB_LA[LAB_NLINKS]=$a
					LAB_LB[LAB_NLINKS]=$b
					LAB_LOPT[LAB_NLINKS]=$linkopt
				done
			done
		fi
		want=link
	done
	[[ $want == link ]] || { lab__die "description ends with a link"; return 1; }
	((${#LAB_POS[@]} >= 2)) || { lab__die "need at least two nodes"; return 1; }
	[[ ${LAB_POS[0]} != *" "* && ${LAB_POS[-1]} != *" "* ]] ||
		{ lab__die "the ends of the chain cannot be ECMP groups"; return 1; }
	((LAB_NLINKS <= 250)) || { lab__die "too many links"; return 1; }
}

# A node's address on link K: the left end is .1, the right end .2.
lab__link_addr() {
	local k=$1 node=$2 fam=$3 host=1
	[[ ${LAB_LB[k]} == "$node" ]] && host=2
	if [[ $fam == 6 ]]; then
		echo "fd77:$k::$host"
	else
		echo "10.77.$k.$host"
	fi
}

# The links of NODE on its left (side=l) or right (side=r), one a line.
lab__links_of() {
	local node=$1 side=$2 k
	for ((k = 1; k <= LAB_NLINKS; k++)); do
		if [[ $side == l && ${LAB_LB[k]} == "$node" ]] ||
		    [[ $side == r && ${LAB_LA[k]} == "$node" ]]; then
			echo "$k"
		fi
	done
}

# The address of NODE in family 4|6: its ingress address (left link) for
# routers and dst, its only address for src; or its address on link K.
lab_addr() {
	local node=$1 fam=${2:-4} k=${3:-}
	[[ -n ${LAB_NPOS[$node]+x} ]] || { lab__die "no node '$node'"; return 1; }
	if [[ -z $k ]]; then
		k=$(lab__links_of "$node" l | head -n1)
		[[ -n $k ]] || k=$(lab__links_of "$node" r | head -n1)
	fi
	lab__link_addr "$k" "$node" "$fam"
}

# The expected hop list from src to dst, one hop a line; an ECMP hop lists
# its possible answers joined by '|'.
lab_hops() {
	local fam=${1:-4} pos n k line
	for ((pos = 1; pos < ${#LAB_POS[@]}; pos++)); do
		line=
		for n in ${LAB_POS[pos]}; do
			for k in $(lab__links_of "$n" l); do
				line+="${line:+|}$(lab__link_addr "$k" "$n" "$fam")"
			done
		done
		echo "$line"
	done
}

# The first and last node names.
lab_src() { echo "${LAB_POS[0]}"; }
lab_dst() { echo "${LAB_POS[-1]}"; }

lab__is_impaired() {
	local IFS=, item
	for item in $1; do
		case "${item%%=*}" in
		delay|jitter|dist|loss|rate|queue|reorder|tun|fwd.*|rev.*)
			return 0 ;;
		mtu|seed) ;;
		*) lab__die "unknown link option '$item'"; return 2 ;;
		esac
	done
	return 1
}

# Turn link options into linkem's --both/--ab/--ba arguments in LAB__ARGV.
lab__linkem_argv() {
	local IFS=, item both= ab= ba=
	LAB__ARGV=()
	for item in $1; do
		case "$item" in
		seed=*|mtu=*|tun) ;;
		fwd.*) ab+="${ab:+,}${item#fwd.}" ;;
		rev.*) ba+="${ba:+,}${item#rev.}" ;;
		*) both+="${both:+,}$item" ;;
		esac
	done
	[[ -n $both ]] && LAB__ARGV+=(--both "$both")
	[[ -n $ab ]] && LAB__ARGV+=(--ab "$ab")
	[[ -n $ba ]] && LAB__ARGV+=(--ba "$ba")
	return 0
}

# Record something for teardown.
lab__note() {
	echo "$2" >>"$LAB_DIR/$1"
}

# Start linkem for link K and remember its pid.
lab__start_linkem() {
	local k=$1 opt=${LAB_LOPT[$1]} seed pdeath=() extra=()
	seed=$(lab__opt "$opt" seed)
	[[ -n $seed ]] || seed=$(( ${LAB_SEED:-0} * 1000 + k ))
	lab__linkem_argv "$opt"
	# LAB_LINKEM_ARGS adds options to every linkem, e.g. --realtime.
	read -r -a extra <<<"${LAB_LINKEM_ARGS:-}"
	LAB__ARGV+=("${extra[@]}")
	[[ -n ${LAB_DETACH:-} ]] && pdeath=(--no-pdeathsig)
	if [[ -n ${LAB_DETACH:-} ]]; then
		setsid "$LAB_LINKEM" --a "$LAB_ID-${LAB_LA[k]}:ln$k" \
		    --b "$LAB_ID-${LAB_LB[k]}:ln$k" "${LAB__ARGV[@]}" \
		    --seed "$seed" --pidfile "$LAB_DIR/linkem$k.pid" \
		    "${pdeath[@]}" </dev/null 2>"$LAB_DIR/linkem$k.log" &
	else
		"$LAB_LINKEM" --a "$LAB_ID-${LAB_LA[k]}:ln$k" \
		    --b "$LAB_ID-${LAB_LB[k]}:ln$k" "${LAB__ARGV[@]}" \
		    --seed "$seed" --pidfile "$LAB_DIR/linkem$k.pid" \
		    </dev/null 2>"$LAB_DIR/linkem$k.log" &
	fi
	lab__note pids "$!"
	LAB__LPID[k]=$!
}

# Wait until linkem for link K has made its devices.
lab__wait_linkem() {
	local k=$1 i
	for ((i = 0; i < 500; i++)); do
		[[ -s $LAB_DIR/linkem$k.pid ]] && return 0
		kill -0 "${LAB__LPID[k]}" 2>/dev/null || break
		sleep 0.01
	done
	lab__die "linkem for link $k did not start: $(cat "$LAB_DIR/linkem$k.log" 2>/dev/null)"
}

# Write the ip batch files that give NODE its addresses and routes.
lab__node_batches() {
	local node=$1 pos=${LAB_NPOS[$1]} last=$((${#LAB_POS[@]} - 1))
	local k fam mtu nh j subnet
	local -a lk rk
	mapfile -t lk < <(lab__links_of "$node" l)
	mapfile -t rk < <(lab__links_of "$node" r)
	: >"$LAB_DIR/$node.addr"
	for k in "${lk[@]}" "${rk[@]}"; do
		mtu=$(lab__opt "${LAB_LOPT[k]}" mtu)
		{
			echo "addr replace $(lab__link_addr "$k" "$node" 4)/24 dev ln$k"
			echo "addr replace $(lab__link_addr "$k" "$node" 6)/64 dev ln$k nodad"
			[[ -n $mtu ]] && echo "link set dev ln$k mtu $mtu"
			echo "link set dev ln$k up"
		} >>"$LAB_DIR/$node.addr"
	done
	# Next hops towards the right and the left, per family.
	local -A nhr nhl
	for fam in 4 6; do
		nhr[$fam]=
		nhl[$fam]=
		for k in "${rk[@]}"; do
			nhr[$fam]+=" nexthop via $(lab__link_addr "$k" "${LAB_LB[k]}" "$fam") dev ln$k"
		done
		for k in "${lk[@]}"; do
			nhl[$fam]+=" nexthop via $(lab__link_addr "$k" "${LAB_LA[k]}" "$fam") dev ln$k"
		done
	done
	: >"$LAB_DIR/$node.route"
	for fam in 4 6; do
		if ((pos == 0)); then
			subnet=10.77.0.0/16
			[[ $fam == 6 ]] && subnet=fd77::/16
			echo "route replace $subnet${nhr[$fam]}" >>"$LAB_DIR/$node.route"
			continue
		fi
		if ((pos == last)); then
			subnet=10.77.0.0/16
			[[ $fam == 6 ]] && subnet=fd77::/16
			echo "route replace $subnet${nhl[$fam]}" >>"$LAB_DIR/$node.route"
			continue
		fi
		# Routers get a route to every link subnet they are not on.
		for ((j = 1; j <= LAB_NLINKS; j++)); do
			[[ ${LAB_LA[j]} == "$node" || ${LAB_LB[j]} == "$node" ]] && continue
			subnet=10.77.$j.0/24
			[[ $fam == 6 ]] && subnet=fd77:$j::/64
			if ((${LAB_NPOS[${LAB_LA[j]}]} >= pos)); then
				nh=${nhr[$fam]}
			else
				nh=${nhl[$fam]}
			fi
			echo "route replace $subnet$nh" >>"$LAB_DIR/$node.route"
		done
	done
}

# The nftables ruleset for a node's firewall options, or nothing.
lab__nft_rules() {
	local opt=$1 p in= out=
	[[ -n $(lab__opt "$opt" silent) ]] &&
		out+=$'\t\ticmp type time-exceeded drop\n\t\ticmpv6 type time-exceeded drop\n'
	[[ -n $(lab__opt "$opt" drop_echo) ]] &&
		in+=$'\t\ticmp type echo-request drop\n\t\ticmpv6 type echo-request drop\n'
	for p in $(lab__opts "$opt" drop_tcp); do
		in+=$'\t\t'"tcp dport $p drop"$'\n'
	done
	for p in $(lab__opts "$opt" reject_tcp); do
		in+=$'\t\t'"tcp dport $p reject with tcp reset"$'\n'
	done
	for p in $(lab__opts "$opt" drop_udp); do
		in+=$'\t\t'"udp dport $p drop"$'\n'
	done
	[[ -z $in && -z $out ]] && return 0
	echo "table inet lab {"
	[[ -n $in ]] && printf '\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n%s\t}\n' "$in"
	[[ -n $out ]] && printf '\tchain output {\n\t\ttype filter hook output priority 0; policy accept;\n%s\t}\n' "$out"
	echo "}"
}

lab__check_node_opts() {
	local IFS=, item
	for item in $1; do
		case "${item%%=*}" in
		icmp_ratelimit|icmp4_ratelimit|icmp6_ratelimit|silent|drop_echo|\
		drop_tcp|reject_tcp|drop_udp|listen|noping) ;;
		*) lab__die "unknown node option '$item'"; return 1 ;;
		esac
	done
	for item in $(lab__opts "$1" drop_tcp) $(lab__opts "$1" reject_tcp) \
	    $(lab__opts "$1" drop_udp) $(lab__opts "$1" listen); do
		[[ $item =~ ^[0-9]{1,5}(-[0-9]{1,5})?$ ]] ||
			{ lab__die "bad port '$item'"; return 1; }
	done
	for item in icmp_ratelimit icmp4_ratelimit icmp6_ratelimit; do
		[[ $(lab__opt "$1" "$item") =~ ^[0-9]*$ ]] ||
			{ lab__die "bad $item (milliseconds)"; return 1; }
	done
}

# The sysctl settings of a node.
lab__sysctls() {
	local node=$1 opt=${LAB_NOPT[$1]} pos=${LAB_NPOS[$1]} r4 r6 fwd=0
	((pos > 0 && pos < ${#LAB_POS[@]} - 1)) && fwd=1
	r4=$(lab__opt "$opt" icmp4_ratelimit)
	[[ -n $r4 ]] || r4=$(lab__opt "$opt" icmp_ratelimit)
	r6=$(lab__opt "$opt" icmp6_ratelimit)
	[[ -n $r6 ]] || r6=$(lab__opt "$opt" icmp_ratelimit)
	printf '%s\n' net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.all.keep_addr_on_down=1 \
	    net.ipv6.conf.default.keep_addr_on_down=1 \
	    net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
	    net.ipv4.ip_forward=$fwd net.ipv6.conf.all.forwarding=$fwd \
	    net.ipv4.icmp_errors_use_inbound_ifaddr=1 \
	    net.ipv4.fib_multipath_hash_policy=1 \
	    net.ipv6.fib_multipath_hash_policy=1 \
	    net.ipv4.icmp_ratelimit="${r4:-0}" net.ipv6.icmp.ratelimit="${r6:-0}" \
	    net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=100000
	[[ -z $(lab__opt "$opt" noping) ]] &&
		echo "net.ipv4.ping_group_range=0 2147483647"
	return 0
}

# Start a TCP listener that accepts and closes, on v4 and v6.
lab__start_listener() {
	local node=$1 port=$2 ready=$LAB_DIR/listen.$1.$2 pdeath=1
	[[ -n ${LAB_DETACH:-} ]] && pdeath=0
	ip netns exec "$LAB_ID-$node" "$LAB_PYTHON" -c '
import ctypes, socket, sys
if sys.argv[3] == "1":
    ctypes.CDLL(None).prctl(1, 15)
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1])))
s.listen(128)
open(sys.argv[2], "w").close()
while True:
    c, _ = s.accept()
    c.close()
' "$port" "$ready" "$pdeath" </dev/null >/dev/null 2>"$LAB_DIR/listen.$node.$port.log" &
	lab__note pids "$!"
	local i
	for ((i = 0; i < 300; i++)); do
		[[ -e $ready ]] && return 0
		sleep 0.01
	done
	lab__die "listener on $node:$port did not start: $(cat "$LAB_DIR/listen.$node.$port.log")"
}

# Bring up a lab from a description; sets LAB_ID and LAB_DIR.
lab_up() {
	local desc=$1 node k ns rules
	local -a sysctls
	[[ -z $LAB_ID ]] || { lab__die "a lab is already up ($LAB_ID)"; return 1; }
	LAB_POS=() LAB_LA=() LAB_LB=() LAB_LOPT=() LAB_NOPT=() LAB_NPOS=()
	LAB__LPID=()
	LAB_NLINKS=0
	lab__parse "$desc" || return 1
	for node in "${!LAB_NOPT[@]}"; do
		lab__check_node_opts "${LAB_NOPT[$node]}" || return 1
	done
	for ((k = 1; k <= LAB_NLINKS; k++)); do
		lab__is_impaired "${LAB_LOPT[k]}"
		case $? in
		0) LAB_LTYPE[k]=tun ;;
		1) LAB_LTYPE[k]=veth ;;
		*) return 1 ;;
		esac
	done
	if [[ ${LAB_LTYPE[*]} == *tun* && ! -x $LAB_LINKEM ]]; then
		lab__die "linkem not built: $LAB_LINKEM (run make check or set LAB_LINKEM)"
		return 1
	fi

	LAB_SEQ=$((LAB_SEQ + 1))
	LAB_ID=$LAB_PREFIX${LAB_SEQ}
	LAB_OWNER=$BASHPID
	mkdir -p "$LAB_STATE_ROOT" || return 1
	LAB_DIR=$LAB_STATE_ROOT/$LAB_ID
	rm -rf "$LAB_DIR"
	mkdir "$LAB_DIR" || return 1
	echo "$desc" >"$LAB_DIR/description"
	[[ -n ${LAB_DETACH:-} ]] || trap 'lab__trap EXIT' EXIT
	[[ -n ${LAB_DETACH:-} ]] || trap 'lab__trap INT' INT
	[[ -n ${LAB_DETACH:-} ]] || trap 'lab__trap TERM' TERM

	for node in "${!LAB_NOPT[@]}"; do
		ns=$LAB_ID-$node
		lab__note namespaces "$ns"
		ip netns add "$ns" || { lab_down; return 1; }
		mapfile -t sysctls < <(lab__sysctls "$node")
		ip netns exec "$ns" sysctl -q -w "${sysctls[@]}" \
		    >/dev/null 2>"$LAB_DIR/sysctl.log" ||
			{ lab__die "sysctl in $ns: $(cat "$LAB_DIR/sysctl.log")"; lab_down; return 1; }
		ip -n "$ns" link set lo up || { lab_down; return 1; }
	done
	for ((k = 1; k <= LAB_NLINKS; k++)); do
		if [[ ${LAB_LTYPE[k]} == veth ]]; then
			# Different ifindexes at the two ends make the kernel
			# report carrier at once instead of up to 1 s later.
			ip -n "$LAB_ID-${LAB_LA[k]}" link add "ln$k" \
			    index $((2 * k + 100)) type veth peer name "ln$k" \
			    index $((2 * k + 101)) netns "$LAB_ID-${LAB_LB[k]}" ||
				{ lab_down; return 1; }
		else
			lab__start_linkem "$k"
		fi
	done
	for ((k = 1; k <= LAB_NLINKS; k++)); do
		if [[ ${LAB_LTYPE[k]} == tun ]]; then
			lab__wait_linkem "$k" || { lab_down; return 1; }
		fi
	done
	for node in "${!LAB_NOPT[@]}"; do
		lab__node_batches "$node"
		ip -n "$LAB_ID-$node" -batch "$LAB_DIR/$node.addr" ||
			{ lab__die "addresses of $node failed"; lab_down; return 1; }
	done
	for node in "${!LAB_NOPT[@]}"; do
		ip -n "$LAB_ID-$node" -batch "$LAB_DIR/$node.route" ||
			{ lab__die "routes of $node failed"; lab_down; return 1; }
		rules=$(lab__nft_rules "${LAB_NOPT[$node]}")
		if [[ -n $rules ]]; then
			ip netns exec "$LAB_ID-$node" nft -f - <<<"$rules" ||
				{ lab__die "nft rules of $node failed"; lab_down; return 1; }
		fi
		for k in $(lab__opts "${LAB_NOPT[$node]}" listen); do
			lab__start_listener "$node" "$k" || { lab_down; return 1; }
		done
	done
	lab__wait_ready "${!LAB_NOPT[@]}" || { lab_down; return 1; }
	lab__save
	return 0
}

# Save enough state for `lab.sh exec|hops|down ID` from another process.
lab__save() {
	declare -p LAB_ID LAB_POS LAB_LA LAB_LB LAB_LOPT LAB_LTYPE LAB_NOPT \
	    LAB_NPOS LAB_NLINKS |
		sed 's/^declare -- /declare -g /; s/^declare -\([aA]\)[a-z]* /declare -g\1 /' \
		>"$LAB_DIR/state"
}

lab__load() {
	local id=$1
	LAB_DIR=$LAB_STATE_ROOT/$id
	[[ -f $LAB_DIR/state ]] || { lab__die "no lab '$id' in $LAB_STATE_ROOT"; return 1; }
	# shellcheck disable=SC1091
	. "$LAB_DIR/state"
}

lab__trap() {
	# Subshells inherit no EXIT trap in bash, but be sure anyway.
	[[ $BASHPID == "$LAB_OWNER" ]] || return 0
	lab_down
	case $1 in
	INT) trap - INT; exit 130 ;;
	TERM) trap - TERM; exit 143 ;;
	esac
}

# Stop every process, delete every namespace and the state of the lab.
lab_down() {
	local pid ns i alive
	[[ -n $LAB_DIR && -d $LAB_DIR ]] || { LAB_ID=; return 0; }
	if [[ -f $LAB_DIR/pids ]]; then
		while read -r pid; do
			kill -TERM "$pid" 2>/dev/null
		done <"$LAB_DIR/pids"
		for ((i = 0; i < 200; i++)); do
			alive=
			while read -r pid; do
				kill -0 "$pid" 2>/dev/null && alive=1
			done <"$LAB_DIR/pids"
			[[ -z $alive ]] && break
			sleep 0.01
		done
		while read -r pid; do
			kill -KILL "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null
		done <"$LAB_DIR/pids"
	fi
	if [[ -f $LAB_DIR/namespaces ]]; then
		while read -r ns; do
			ip netns del "$ns" 2>/dev/null
			rm -rf "/etc/netns/$ns"
		done <"$LAB_DIR/namespaces"
	fi
	rm -rf "$LAB_DIR"
	LAB_ID=
	LAB_DIR=
	return 0
}

# Wait until the lab interfaces of the given nodes are usable: carrier
# and operational state up, no IPv6 address tentative.  The kernel
# reports operational state late (linkwatch), and IPv6 neither answers
# for nor sends from an address until it is.
lab__wait_ready() {
	local node i ok
	for ((i = 0; i < 300; i++)); do
		ok=1
		for node in "$@"; do
			if ip -n "$LAB_ID-$node" -o link show | awk '/: ln[0-9]/ &&
			    (!/LOWER_UP/ || /state (DOWN|LOWERLAYERDOWN)/) { bad = 1 }
			    END { exit !bad }' ||
			    [[ -n $(ip -n "$LAB_ID-$node" -6 -o addr show tentative) ]]; then
				ok=
				break
			fi
		done
		[[ -n $ok ]] && return 0
		sleep 0.01
	done
	lab__die "links of $* not ready after 3 s"
}

# Take link K down (both ends), as a cut cable would.
lab_link_down() {
	local k=$1
	((k >= 1 && k <= LAB_NLINKS)) || { lab__die "no link $k"; return 1; }
	ip -n "$LAB_ID-${LAB_LA[k]}" link set dev "ln$k" down &&
		ip -n "$LAB_ID-${LAB_LB[k]}" link set dev "ln$k" down
}

# Bring link K back and restore the routes the kernel flushed with it.
lab_link_up() {
	local k=$1 node
	((k >= 1 && k <= LAB_NLINKS)) || { lab__die "no link $k"; return 1; }
	for node in "${LAB_LA[k]}" "${LAB_LB[k]}"; do
		ip -n "$LAB_ID-$node" -batch "$LAB_DIR/$node.addr" || return 1
	done
	for node in "${LAB_LA[k]}" "${LAB_LB[k]}"; do
		ip -n "$LAB_ID-$node" -batch "$LAB_DIR/$node.route" || return 1
	done
	lab__wait_ready "${LAB_LA[k]}" "${LAB_LB[k]}"
}

# Take link K down for SECONDS, then bring it back.
lab_link_flap() {
	lab_link_down "$1" || return 1
	sleep "$2"
	lab_link_up "$1"
}

# The link number between two adjacent nodes.
lab_link() {
	local k
	for ((k = 1; k <= LAB_NLINKS; k++)); do
		if [[ ${LAB_LA[k]} == "$1" && ${LAB_LB[k]} == "$2" ]] ||
		    [[ ${LAB_LA[k]} == "$2" && ${LAB_LB[k]} == "$1" ]]; then
			echo "$k"
			return 0
		fi
	done
	lab__die "no link between $1 and $2"
}

# Start dnsmasq on 127.0.0.1 and ::1 in NODE's namespace and point its
# resolv.conf there.  Records: A:name=addr AAAA:name=addr PTR:addr=name
# TXT:name=text, and "auto" for <node>.lab names of every lab address.
lab_dns() {
	local node=$1 ns=$LAB_ID-$1 r name val k n i
	shift
	local -a args=(--keep-in-foreground --conf-file=/dev/null --no-resolv
	    --no-hosts --bind-interfaces --listen-address=127.0.0.1
	    --listen-address=::1 --port=53 --user=root --group=root
	    --pid-file="$LAB_DIR/dnsmasq.pid" --local=/lab/
	    --local=/77.10.in-addr.arpa/ --local=/7.7.d.f.ip6.arpa/)
	for r in "$@"; do
		if [[ $r == auto ]]; then
			for ((k = 1; k <= LAB_NLINKS; k++)); do
				for n in "${LAB_LA[k]}" "${LAB_LB[k]}"; do
					args+=(--ptr-record="$(lab__rev "$(lab__link_addr "$k" "$n" 4)"),$n.lab")
					args+=(--ptr-record="$(lab__rev "$(lab__link_addr "$k" "$n" 6)"),$n.lab")
				done
			done
			for n in "${!LAB_NPOS[@]}"; do
				args+=(--address="/$n.lab/$(lab_addr "$n" 4)")
				args+=(--address="/$n.lab/$(lab_addr "$n" 6)")
			done
			continue
		fi
		name=${r#*:}
		val=${name#*=}
		name=${name%%=*}
		case "$r" in
		A:*|AAAA:*) args+=(--address="/$name/$val") ;;
		PTR:*) args+=(--ptr-record="$(lab__rev "$name"),$val") ;;
		TXT:*) args+=(--txt-record="$name,$val") ;;
		*) lab__die "bad DNS record '$r'"; return 1 ;;
		esac
	done
	mkdir -p "/etc/netns/$ns" &&
		echo "nameserver 127.0.0.1" >"/etc/netns/$ns/resolv.conf" || return 1
	ip netns exec "$ns" dnsmasq "${args[@]}" </dev/null >/dev/null \
	    2>"$LAB_DIR/dnsmasq.log" &
	lab__note pids "$!"
	for ((i = 0; i < 300; i++)); do
		[[ -s $LAB_DIR/dnsmasq.pid ]] && return 0
		kill -0 "$!" 2>/dev/null || break
		sleep 0.01
	done
	lab__die "dnsmasq did not start: $(cat "$LAB_DIR/dnsmasq.log")"
}

# The reverse-DNS name of an IPv4 or IPv6 address.
lab__rev() {
	local a=$1 out= i hex
	if [[ $a == *:* ]]; then
		hex=$("$LAB_PYTHON" -c 'import ipaddress,sys; print(ipaddress.ip_address(sys.argv[1]).exploded.replace(":", ""))' "$a")
		for ((i = ${#hex} - 1; i >= 0; i--)); do
			out+="${hex:i:1}."
		done
		echo "${out}ip6.arpa"
	else
		IFS=. read -r o1 o2 o3 o4 <<<"$a"
		echo "$o4.$o3.$o2.$o1.in-addr.arpa"
	fi
}

# A plain chain description: src, N routers, dst, every link with LINKOPT.
lab_chain() {
	local n=$1 opt=$2 i out=src l=-
	[[ -n $opt ]] && l="-[$opt]-"
	for ((i = 1; i <= n; i++)); do
		out+=" $l r$i"
	done
	echo "$out $l dst"
}

lab__usage() {
	cat >&2 <<'EOF'
usage: lab.sh up DESCRIPTION    bring a lab up, print its id (stays up)
       lab.sh down ID|all       tear a lab (or every lab) down
       lab.sh exec ID NODE CMD  run CMD in NODE's namespace
       lab.sh hops ID 4|6       print the expected hop list
       lab.sh list              list the labs that are up
e.g.   lab.sh up "src - r1 -[delay=5ms,loss=10%]- r2 - dst"
EOF
	exit 2
}

lab__main() {
	local cmd=${1:-}
	shift || true
	case "$cmd" in
	up)
		[[ $# == 1 ]] || lab__usage
		LAB_DETACH=1
		LAB_PREFIX=${LAB_PREFIX/#nt/lab}
		lab_up "$1" || exit 1
		echo "$LAB_ID"
		;;
	down)
		[[ $# == 1 ]] || lab__usage
		local id
		if [[ $1 == all ]]; then
			for id in "$LAB_STATE_ROOT"/*/; do
				[[ -d $id ]] || continue
				id=${id%/}
				LAB_DIR=$id LAB_ID=${id##*/} lab_down
			done
		else
			lab__load "$1" || exit 1
			lab_down
		fi
		;;
	exec)
		(($# >= 3)) || lab__usage
		lab__load "$1" || exit 1
		shift
		lab_exec "$@"
		;;
	hops)
		[[ $# == 2 ]] || lab__usage
		lab__load "$1" || exit 1
		lab_hops "$2"
		;;
	list)
		ls "$LAB_STATE_ROOT" 2>/dev/null
		;;
	*) lab__usage ;;
	esac
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	lab__main "$@"
fi
