#!/usr/bin/env python3
"""Writes hand-made DNS answers as seeds for fuzz_names into DIR.

Each seed is one selector byte (fuzz_names picks the output buffer size
from it) followed by a DNS message: ordinary PTR and Team Cymru TXT
answers, an RFC 2317 CNAME chain, and hostile ones (escape sequences,
C1 controls, bidi overrides, compression loops, truncation, NUL bytes).
Usage: tests/fuzz/dns_seeds.py tests/fuzz/corpus/names
"""
import os
import struct
import sys


def name(s):
    out = b''
    for label in s.split('.'):
        if label:
            b = label.encode('utf-8')
            out += bytes([len(b)]) + b
    return out + b'\0'


def msg(qname, qtype, answers, qd=1):
    h = struct.pack('>HHHHHH', 0x1234, 0x8180, qd, len(answers), 0, 0)
    q = name(qname) + struct.pack('>HH', qtype, 1) if qd else b''
    body = b''
    for nm, t, ttl, rdata in answers:
        body += nm + struct.pack('>HHIH', t, 1, ttl, len(rdata)) + rdata
    return h + q + body


def txt(*parts):
    return b''.join(bytes([len(x)]) + x for x in parts)


PTRQ = '1.0.0.127.in-addr.arpa'
ASQ = '1.0.0.127.origin.asn.cymru.com'
PTR = b'\xc0\x0c'
SEEDS = {
    'ptr': msg(PTRQ, 12, [(PTR, 12, 3600, name('localhost'))]),
    'ptr-compressed': msg(PTRQ, 12, [(PTR, 12, 60, b'\x04host\xc0\x16')]),
    'ptr-cname-2317': msg(PTRQ, 12, [
        (PTR, 5, 300, name('1.0/25.0.0.127.in-addr.arpa')),
        (name('1.0/25.0.0.127.in-addr.arpa'), 12, 7200, name('r1.lab'))]),
    'ptr-escape': msg(PTRQ, 12, [
        (PTR, 12, 60, name('\x1b[2J\x1b]0;pwned\x07.evil'))]),
    'ptr-c1-bidi': msg(PTRQ, 12, [
        (PTR, 12, 60, name('\u009b31m.\u202eab\u2066'))]),
    'ptr-loop': msg(PTRQ, 12, [(PTR, 12, 60, b'\x01a\xc0\x28')]),
    'ptr-selfloop': msg(PTRQ, 12, [(PTR, 12, 60, b'\xc0\x28')]),
    'ptr-long': msg(PTRQ, 12, [
        (PTR, 12, 60, b''.join(bytes([63]) + b'a' * 63 for _ in range(4)) + b'\0')]),
    'ptr-truncated': msg(PTRQ, 12, [(PTR, 12, 60, name('host.lab'))])[:-5],
    'ptr-nul': msg(PTRQ, 12, [(PTR, 12, 60, b'\x03a\x00b\x00')]),
    'ptr-ttl-top': msg(PTRQ, 12, [(PTR, 12, 0x80000000, name('x.lab'))]),
    'ptr-invalid-utf8': msg(PTRQ, 12, [
        (PTR, 12, 60, b'\x06\xc0\xaf\xed\xa0\x80\x04\xf8\x88\x80\x80\x00')]),
    'nodata': msg(PTRQ, 12, []),
    'txt-cymru': msg(ASQ, 16, [
        (PTR, 16, 86400, txt(b'64500 | 10.77.0.0/16 | ZZ | lab | 2026-01-01'))]),
    'txt-multi': msg(ASQ, 16, [
        (PTR, 16, 60, txt(b'64500 64501 | 10.0.0.0/8 ', b'| ZZ | lab |',
                          b'\xff\xfe\x1b[31m | x'))]),
    'txt-bad-as': msg(ASQ, 16, [(PTR, 16, 60, txt(b'AS\x1b | a|b|c|d|e|f'))]),
    'txt-overlong': msg(ASQ, 16, [(PTR, 16, 60, bytes([200]) + b'9' * 5)]),
    'txt-utf8': msg(ASQ, 16, [
        (PTR, 16, 60, txt('1 | p | \u00e9\u4e2d\U0001f600 | x'.encode('utf-8')))]),
    'header-only': struct.pack('>HHHHHH', 1, 0x8180, 0, 65535, 0, 0),
    'qd-many': struct.pack('>HHHHHH', 1, 0x8180, 65535, 1, 0, 0) +
    b'\0\0\x0c\0\x01',
}

if __name__ == '__main__':
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for i, (k, v) in enumerate(sorted(SEEDS.items())):
        with open(os.path.join(out, k), 'wb') as f:
            f.write(bytes([4 + i % 3]) + v)
