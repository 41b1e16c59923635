#!/usr/bin/python3
"""Per-hop wire RTTs of ICMP echo probes from a pcap capture, and a tool's
error against them.

Usage: pcap_rtt.py PCAP SOURCE_ADDR [ntrace|mtr JSON_REPORT]

Reads the classic pcap format directly (microsecond or nanosecond magic,
either byte order; Ethernet, raw IP, Linux cooked v1/v2 link types).
Each echo request sent by SOURCE_ADDR is a probe, keyed by its ICMP id and
sequence and grouped by its IP TTL (the hop).  A reply is an echo reply
with the same id/seq, or a time-exceeded or destination-unreachable that
quotes the probe's IP header and first 8 bytes (so the quoted id/seq).
It matches the latest unmatched probe with that key sent before it.

Without a report: prints "ttl n mean_ms" per TTL.  With one: prints, per
hop, the tool's avg and the wire mean, then a summary line
  hops=N mean_abs_err_ms=E max_abs_err_ms=M matched=K unmatched_probes=U
Standard library only.
"""

import json
import struct
import sys

ICMP_ECHOREPLY = 0
ICMP_UNREACH = 3
ICMP_ECHO = 8
ICMP_TIMXCEED = 11


def read_pcap(path):
    """Yield (timestamp in ns, IP packet bytes) for every record."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic_le = struct.unpack("<I", data[:4])[0]
    magic_be = struct.unpack(">I", data[:4])[0]
    if magic_le in (0xA1B2C3D4, 0xA1B23C4D):
        endian, magic = "<", magic_le
    elif magic_be in (0xA1B2C3D4, 0xA1B23C4D):
        endian, magic = ">", magic_be
    else:
        sys.exit(f"pcap_rtt: {path}: not a classic pcap file")
    frac_ns = 1 if magic == 0xA1B23C4D else 1000
    linktype = struct.unpack(endian + "I", data[20:24])[0] & 0x0FFFFFFF
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        ts = sec * 1_000_000_000 + frac * frac_ns
        ip = strip_link(linktype, pkt)
        if ip is not None:
            yield ts, ip


def strip_link(linktype, pkt):
    """The IP packet inside a link-layer frame, or None."""
    if linktype in (12, 14, 101, 228):          # raw IP / raw IPv4
        return pkt
    if linktype == 1:                            # Ethernet, maybe VLAN
        off, etype = 12, None
        while off + 2 <= len(pkt):
            etype = struct.unpack(">H", pkt[off:off + 2])[0]
            if etype in (0x8100, 0x88A8):
                off += 4
                continue
            break
        return pkt[off + 2:] if etype == 0x0800 else None
    if linktype == 113:                          # Linux cooked v1
        return pkt[16:] if pkt[14:16] == b"\x08\x00" else None
    if linktype == 276:                          # Linux cooked v2
        return pkt[20:] if pkt[0:2] == b"\x08\x00" else None
    return None


def ipv4_icmp(ip):
    """(src, dst, ttl, icmp bytes) of an IPv4 ICMP packet, or None."""
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 1:
        return None
    ihl = (ip[0] & 0x0F) * 4
    if len(ip) < ihl + 8:
        return None
    return ip[12:16], ip[16:20], ip[8], ip[ihl:]


def wire_rtts(path, source):
    """{ttl: [rtt ms, ...]} and the count of probes never answered."""
    sent = {}                   # (id, seq) -> [(ts, ttl, matched)]
    rtts = {}
    for ts, ip in read_pcap(path):
        p = ipv4_icmp(ip)
        if p is None:
            continue
        src, _, ttl, icmp = p
        itype = icmp[0]
        if itype == ICMP_ECHO and src == source:
            key = icmp[4:8]
            sent.setdefault(key, []).append([ts, ttl, False])
            continue
        if itype == ICMP_ECHOREPLY:
            key = icmp[4:8]
        elif itype in (ICMP_TIMXCEED, ICMP_UNREACH):
            q = icmp[8:]
            if len(q) < 20 or q[0] >> 4 != 4 or q[9] != 1:
                continue
            qihl = (q[0] & 0x0F) * 4
            qi = q[qihl:qihl + 8]
            if len(qi) < 8 or qi[0] != ICMP_ECHO or q[12:16] != source:
                continue
            key = qi[4:8]
        else:
            continue
        best = None
        for probe in sent.get(key, ()):
            if not probe[2] and probe[0] <= ts:
                best = probe
        if best is None:
            continue
        best[2] = True
        rtts.setdefault(best[1], []).append((ts - best[0]) / 1e6)
    unmatched = sum(1 for v in sent.values() for p in v if not p[2])
    return rtts, unmatched


def tool_avgs(kind, path):
    """{ttl: avg ms} from an ntrace -j or mtr --json report."""
    with open(path) as f:
        doc = json.load(f)
    out = {}
    if kind == "ntrace":
        for t in doc["traces"]:
            for h in t["hops"]:
                if h["avg_ms"] is not None:
                    out[h["ttl"]] = float(h["avg_ms"])
    else:
        for h in doc["report"]["hubs"]:
            if h.get("host") != "???" and h.get("Snt", 0) > 0:
                out[int(h["count"])] = float(h["Avg"])
    return out


def main(argv):
    if len(argv) not in (2, 4):
        sys.exit(__doc__)
    source = bytes(int(x) for x in argv[1].split("."))
    rtts, unmatched = wire_rtts(argv[0], source)
    if len(argv) == 2:
        for ttl in sorted(rtts):
            v = rtts[ttl]
            print(f"{ttl} {len(v)} {sum(v) / len(v):.6f}")
        return 0
    avgs = tool_avgs(argv[2], argv[3])
    errs = []
    matched = 0
    for ttl in sorted(avgs):
        v = rtts.get(ttl)
        if not v:
            continue
        wire = sum(v) / len(v)
        matched += len(v)
        errs.append(avgs[ttl] - wire)
        print(f"ttl={ttl} n={len(v)} tool_ms={avgs[ttl]:.3f} wire_ms={wire:.4f}"
              f" err_ms={avgs[ttl] - wire:+.4f}")
    if not errs:
        print("hops=0 mean_abs_err_ms=nan max_abs_err_ms=nan mean_err_ms=nan"
              f" matched=0 unmatched_probes={unmatched}")
        return 0
    mae = sum(abs(e) for e in errs) / len(errs)
    print(f"hops={len(errs)} mean_abs_err_ms={mae:.4f}"
          f" max_abs_err_ms={max(abs(e) for e in errs):.4f}"
          f" mean_err_ms={sum(errs) / len(errs):+.4f}"
          f" matched={matched} unmatched_probes={unmatched}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
