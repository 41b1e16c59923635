#!/usr/bin/python3
"""Run one command and report its wall time, CPU time and peak memory.

Usage: runstat.py [--out FILE] [--poll SECONDS] -- COMMAND [ARGS...]

Prints one line of key=value pairs on stdout:
  wall_s     fork to reap, in seconds
  user_s     user CPU of the command and every descendant it reaped
  sys_s      system CPU, likewise (wait4 rusage, microsecond resolution)
  maxrss_kb  ru_maxrss of wait4: the largest single process, not a sum
  hwm_kb     sum over the process tree of each process's last seen VmHWM
             (polled; 0 with --poll 0)
  hwm        name:kB for each process seen, e.g. mtr:3200,mtr-packet:2100
The command's stdout goes to FILE (default /dev/null), its stderr is kept.
Standard library only, so it runs anywhere the lab runs.
"""

import os
import sys
import time


def children(pid):
    """Direct children of PID, from every thread's children file."""
    out = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(x) for x in f.read().split())
        except OSError:
            pass
    return out


def hwm_of(pid):
    """(name, VmHWM in kB) of PID, or None once it has gone."""
    name = None
    hwm = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("Name:"):
                    name = line.split()[1]
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        return None
    if name is None or hwm is None:
        return None
    return name, hwm


def main(argv):
    out = "/dev/null"
    poll = 0.02
    i = 0
    while i < len(argv) and argv[i] != "--":
        if argv[i] == "--out":
            out = argv[i + 1]
            i += 2
        elif argv[i] == "--poll":
            poll = float(argv[i + 1])
            i += 2
        else:
            sys.exit(f"runstat: unknown option {argv[i]}")
    cmd = argv[i + 1:]
    if not cmd:
        sys.exit("usage: runstat.py [--out FILE] [--poll S] -- COMMAND...")

    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.dup2(fd, 1)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    os.close(fd)

    # Peak per process: VmHWM only grows, so the last value seen is the
    # best lower bound of the true peak.
    peaks = {}
    while True:
        wpid, status, ru = os.wait4(pid, os.WNOHANG if poll > 0 else 0)
        if wpid == pid:
            break
        tree = [pid]
        seen = 0
        while seen < len(tree):
            tree.extend(children(tree[seen]))
            seen += 1
        for p in tree:
            h = hwm_of(p)
            if h is not None:
                peaks[p] = h
        time.sleep(poll)
    wall = time.monotonic() - t0

    rc = os.waitstatus_to_exitcode(status)
    hwm_sum = sum(h for _, h in peaks.values())
    names = ",".join(f"{n}:{h}" for n, h in peaks.values())
    print(f"wall_s={wall:.6f} user_s={ru.ru_utime:.6f} sys_s={ru.ru_stime:.6f}"
          f" maxrss_kb={ru.ru_maxrss} hwm_kb={hwm_sum} hwm={names or '-'} rc={rc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
