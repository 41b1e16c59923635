#!/usr/bin/env python3
"""A lying DNS server for the lab: hostile, malformed, failing and silent
answers chosen by the question's name. Standard library only.

usage: dns_hostile.py PORT [ADDR]   (ADDR defaults to 127.0.0.1)

Behaviour by question (PTR names are for 10.66.0.N, TXT for AS lookups):
  PTR 10.66.0.1   name with ESC[31m and CR LF in a label
  PTR 10.66.0.2   253-character name (255 bytes on the wire, the maximum)
  PTR 10.66.0.3   answer whose RDATA runs past the end of the message
  PTR 10.66.0.4   compression pointer pointing at itself (a loop)
  PTR 10.66.0.5   SERVFAIL
  PTR 10.66.0.6   no answer at all (silent)
  PTR 10.66.0.7   invalid UTF-8, a C1 CSI and U+202E (right-to-left override)
  PTR 10.66.0.8   answer with the wrong query id (a spoof; ignored)
  PTR 10.66.0.9   a name of 5 x 63-byte labels (over 255 bytes: malformed)
  TXT 10.66.0.1   AS text with an OSC escape and a BEL
  TXT 10.66.0.2   AS text without an AS number
  A/AAAA ok.lab       10.66.1.1 / fd00:66::1
  A/AAAA v4only.lab   10.66.1.4 / NOERROR without data (NODATA)
  A/AAAA servfail.lab SERVFAIL; refused.lab REFUSED; silent.lab no answer
  anything else   NXDOMAIN
Every question is counted; SIGUSR1 is not needed: the counts are appended
to the file named by $DNS_HOSTILE_LOG, one "TYPE NAME" line per query.
"""
import os
import socket
import struct
import sys

T_A, T_PTR, T_TXT, T_AAAA = 1, 12, 16, 28


def labels(name):
    out = b""
    for lab in name.split(b"."):
        if lab:
            out += bytes([len(lab)]) + lab
    return out + b"\0"


def parse_question(msg):
    off, parts = 12, []
    while True:
        n = msg[off]
        if n == 0:
            off += 1
            break
        parts.append(msg[off + 1:off + 1 + n])
        off += 1 + n
    qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
    return b".".join(parts).lower(), qtype, msg[12:off + 4]


def reply(msg, question, rcode=0, answers=(), qid=None):
    if qid is None:
        qid = struct.unpack("!H", msg[:2])[0]
    flags = 0x8180 | rcode
    head = struct.pack("!HHHHHH", qid, flags, 1, len(answers), 0, 0)
    return head + question + b"".join(answers)


def rr(rtype, rdata, ttl=3600, name=b"\xc0\x0c"):
    return name + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def txt(s):
    return bytes([len(s)]) + s


def answer(msg):
    name, qtype, question = parse_question(msg)
    log = os.environ.get("DNS_HOSTILE_LOG")
    if log:
        with open(log, "a") as f:
            f.write("%d %s\n" % (qtype, name.decode("latin-1")))
    ptr = {
        b"1.0.66.10.in-addr.arpa": b"\x1b[31mred\r\n.evil.lab",
        b"2.0.66.10.in-addr.arpa": b".".join([b"a" * 63] * 3 + [b"b" * 61]),
        b"7.0.66.10.in-addr.arpa": b"x\xff\xc3\x28\xc2\x9b2J\xe2\x80\xaeevil.lab",
    }
    if qtype == T_PTR and name in ptr:
        return reply(msg, question, 0, [rr(T_PTR, labels(ptr[name]))])
    if qtype == T_PTR and name == b"3.0.66.10.in-addr.arpa":
        whole = reply(msg, question, 0, [rr(T_PTR, labels(b"cut.lab"))])
        return whole[:-4]
    if qtype == T_PTR and name == b"4.0.66.10.in-addr.arpa":
        head = reply(msg, question, 0, [])
        at = len(head) + 12
        loop = struct.pack("!H", 0xc000 | at)
        return reply(msg, question, 0, [rr(T_PTR, loop)])
    if name in (b"5.0.66.10.in-addr.arpa", b"servfail.lab"):
        return reply(msg, question, 2)
    if name == b"refused.lab":
        return reply(msg, question, 5)
    if name in (b"6.0.66.10.in-addr.arpa", b"silent.lab"):
        return None
    if qtype == T_PTR and name == b"8.0.66.10.in-addr.arpa":
        qid = (struct.unpack("!H", msg[:2])[0] + 1) & 0xffff
        return reply(msg, question, 0, [rr(T_PTR, labels(b"spoof.lab"))],
                     qid=qid)
    if qtype == T_PTR and name == b"9.0.66.10.in-addr.arpa":
        return reply(msg, question, 0,
                     [rr(T_PTR, labels(b".".join([b"z" * 63] * 5)))])
    if qtype == T_TXT and name == b"1.0.66.10.origin.asn.cymru.com":
        return reply(msg, question, 0, [rr(T_TXT, txt(
            b"64501 | \x1b]0;pwned\x07 | Z\rZ | lab | 2026-01-01"))])
    if qtype == T_TXT and name == b"2.0.66.10.origin.asn.cymru.com":
        return reply(msg, question, 0, [rr(T_TXT, txt(b"NA | | | |"))])
    if name == b"ok.lab" and qtype == T_A:
        return reply(msg, question, 0, [rr(T_A, socket.inet_aton("10.66.1.1"))])
    if name == b"ok.lab" and qtype == T_AAAA:
        return reply(msg, question, 0, [rr(T_AAAA, socket.inet_pton(
            socket.AF_INET6, "fd00:66::1"))])
    if name == b"v4only.lab" and qtype == T_A:
        return reply(msg, question, 0, [rr(T_A, socket.inet_aton("10.66.1.4"))])
    if name == b"v4only.lab":
        return reply(msg, question, 0)
    return reply(msg, question, 3)


def main():
    port = int(sys.argv[1])
    host = sys.argv[2] if len(sys.argv) > 2 else "127.0.0.1"
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((host, port))
    while True:
        msg, peer = s.recvfrom(4096)
        try:
            out = answer(msg)
        except (IndexError, struct.error):
            continue
        if out is not None:
            s.sendto(out, peer)


if __name__ == "__main__":
    main()
