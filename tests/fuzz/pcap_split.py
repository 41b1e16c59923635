#!/usr/bin/env python3
"""Splits a tcpdump capture into fuzz_packet seeds, one file per reply.

fuzz_packet feeds every file to all three parsers: pkt_parse_ip4 wants a
whole IPv4 packet, pkt_parse_icmp6 and pkt_parse_tcp6 the payload after
the IPv6 header (what a raw IPv6 socket returns). IPv4 packets are kept
whole; for IPv6 the fixed header is dropped. Only ICMP(v6) errors, echo
replies and TCP segments from the far end are kept; duplicates (same
bytes once the IP identification and checksums are zeroed) are dropped.

With --hostile, each kept reply also yields variants a hostile or broken
path produces: quoted payload cut short, a length field larger than the
packet, a wrong ICMP checksum, an ICMP error quoting an ICMP error, and
an RFC 4884 MPLS extension with a bad length or too many labels.

Usage: tcpdump -i lnK -w cap.pcap ...; pcap_split.py [--hostile] cap.pcap OUTDIR
Link types: Ethernet (1), raw IP (101) and Linux cooked (113, 276).
"""
import hashlib
import os
import struct
import sys


def packets(path):
    with open(path, 'rb') as f:
        data = f.read()
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        end = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        end = '>'
    else:
        sys.exit('%s: not a pcap file (pcapng is not read; use tcpdump -w)' % path)
    linktype = struct.unpack(end + 'I', data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(end + 'I', data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:
            etype, ip = struct.unpack('>H', frame[12:14])[0], frame[14:]
        elif linktype == 101:
            etype, ip = None, frame
        elif linktype == 113:
            etype, ip = struct.unpack('>H', frame[14:16])[0], frame[16:]
        elif linktype == 276:
            etype, ip = struct.unpack('>H', frame[0:2])[0], frame[20:]
        else:
            sys.exit('link type %d is not handled' % linktype)
        if etype not in (None, 0x0800, 0x86dd):
            continue
        yield ip


def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def seed(ip):
    """The seed for one IP packet and its kind, or None to skip it."""
    if not ip:
        return None
    if ip[0] >> 4 == 4:
        proto, ihl = ip[9], (ip[0] & 15) * 4
        if proto == 1 and len(ip) > ihl and ip[ihl] in (0, 3, 11, 12):
            return ip, 'v4-icmp%d' % ip[ihl]
        if proto == 6 and len(ip) > ihl + 13 and ip[ihl + 13] & 0x14:
            return ip, 'v4-tcp'
        return None
    if ip[0] >> 4 == 6 and len(ip) > 40:
        nh, pl = ip[6], ip[40:]
        if nh == 58 and pl[0] in (1, 2, 3, 4, 129):
            return pl, 'v6-icmp%d' % pl[0]
        if nh == 6 and len(pl) > 13 and pl[13] & 0x14:
            return pl, 'v6-tcp'
    return None


def variants(s, kind):
    """Hostile forms of one ICMPv4 error seed (whole IPv4 packet)."""
    if not kind.startswith('v4-icmp') or kind == 'v4-icmp0':
        return
    ihl = (s[0] & 15) * 4
    icmp = bytearray(s[ihl:])
    yield 'cut', s[:ihl + 8 + 20 + 4]
    yield 'cut-header', s[:ihl + 8 + 10]
    big = bytearray(s)
    big[2:4] = struct.pack('>H', 0xffff)
    yield 'oversized-len', bytes(big)
    bad = bytearray(s)
    bad[ihl + 2] ^= 0xff
    yield 'bad-checksum', bytes(bad)
    inner = bytearray(s)  # an error quoting this error
    outer = bytearray(s[:ihl]) + bytearray([11, 0, 0, 0, 0, 0, 0, 0]) + inner[:ihl + 8 + 28]
    outer[2:4] = struct.pack('>H', len(outer))
    yield 'nested-icmp', bytes(outer)
    # RFC 4884: length word in 32-bit words at byte 5, the original
    # datagram padded to 128 bytes, then version 2 and an MPLS object.
    orig = bytes(icmp[8:])[:128].ljust(128, b'\0')
    labels = b''.join(struct.pack('>I', (100 + i) << 12 | (i == 19) << 8 | 1)
                      for i in range(20))
    for name, obj in (('mpls-20-labels', struct.pack('>HBB', 4 + len(labels), 1, 1) + labels),
                      ('mpls-bad-objlen', struct.pack('>HBB', 2, 1, 1) + labels[:4]),
                      ('mpls-objlen-past-end', struct.pack('>HBB', 400, 1, 1) + labels[:8])):
        ext = bytearray(struct.pack('>BBH', 0x20, 0, 0) + obj)
        ext[2:4] = struct.pack('>H', csum(bytes(ext)))
        m = bytearray(icmp[:8]) + orig + ext
        m[5] = 32
        m[2:4] = b'\0\0'
        m[2:4] = struct.pack('>H', csum(bytes(m)))
        pkt = bytearray(s[:ihl]) + m
        pkt[2:4] = struct.pack('>H', len(pkt))
        yield name, bytes(pkt)


def main():
    args = sys.argv[1:]
    hostile = '--hostile' in args
    args = [a for a in args if a != '--hostile']
    if len(args) != 2:
        sys.exit(__doc__)
    os.makedirs(args[1], exist_ok=True)
    seen, n = set(), 0
    for ip in packets(args[0]):
        r = seed(ip)
        if r is None:
            continue
        s, kind = r
        key = bytearray(s)
        if kind.startswith('v4'):
            key[4:6] = key[10:12] = b'\0\0'
        digest = hashlib.sha1(bytes(key)).hexdigest()[:8]
        if (kind, len(s)) in seen:
            continue
        seen.add((kind, len(s)))
        out = [(kind, s)]
        if hostile:
            out += [(kind + '-' + v, b) for v, b in variants(s, kind)]
        for k, b in out:
            with open(os.path.join(args[1], 'lab-%s-%s' % (k, digest)), 'wb') as f:
                f.write(b)
            n += 1
    print('%d seeds written to %s' % (n, args[1]))


if __name__ == '__main__':
    main()
