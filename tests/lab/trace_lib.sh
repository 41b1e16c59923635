#!/usr/bin/env bash
# trace_lib.sh: helpers for lab tests that run ntrace itself (sourced).
. "${top_srcdir:-.}/tests/lab/lib.sh"

# Run ntrace in the source namespace as root; stdout is its output.
nt() {
	lab_exec "$(lab_src)" "$NTRACE" "$@"
}

# Run ntrace in the source namespace as nobody with no capabilities.
nt_unpriv() {
	lab_exec "$(lab_src)" setpriv --reuid 65534 --regid 65534 --clear-groups \
	    --inh-caps=-all --bounding-set=-all "$NTRACE" "$@"
}

# Query a JSON report on stdin with a Python expression over `d`
# (the parsed document); prints the result, one item a line for lists.
jq_py() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
if isinstance(r, list):
    for x in r:
        print(x)
else:
    print(r)
' "$1"
}

# The hop list of trace T in a JSON report: the main responder per TTL,
# "*" for a TTL that never answered.
json_hops() {
	jq_py "[(h['hosts'][0]['address'] if h['hosts'] else '*') for h in d['traces'][${1:-0}]['hops']]"
}
