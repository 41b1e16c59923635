#!/usr/bin/env bash
# The live view's terminal goes away without a SIGHUP (the pty master is
# closed and ntrace is not the session leader, as under a program that owns
# the pty): ntrace must end within 5 s, not spin reading EOF forever.
# (getch() at EOF returns ERR at once, like its timeout: ui/ui.c asks
# poll() whether the terminal hung up, and quits with status 1.)
set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${NTRACE:=$top_builddir/ntrace}"
skip() {
	if [[ ${NTRACE_LAB_REQUIRED:-0} == 1 ]]; then
		echo "tty_gone: FAIL: $* (NTRACE_LAB_REQUIRED=1)"
		exit 99
	fi
	echo "tty_gone: SKIP: $*"
	exit 77
}
((EUID == 0)) || skip "raw probes need root"
command -v python3 >/dev/null || skip "python3 is missing"
[[ -x $NTRACE ]] || { echo "tty_gone: FAIL: no binary at $NTRACE"; exit 1; }
python3 - "$NTRACE" <<'PY'
import fcntl, os, pty, struct, subprocess, sys, termios, time
m, s = pty.openpty()
fcntl.ioctl(s, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 100, 0, 0))
p = subprocess.Popen([sys.argv[1], '-t', '-n', '127.0.0.1'], stdin=s,
                     stdout=s, stderr=s, env=dict(os.environ, TERM='xterm'))
os.close(s)
time.sleep(2)
os.read(m, 65536)
os.close(m)
try:
    p.wait(timeout=5)
    print('tty_gone: ntrace exited %d once its terminal was gone' % p.returncode)
    sys.exit(0 if p.returncode < 128 and p.returncode >= 0 else 1)
except subprocess.TimeoutExpired:
    def ticks():
        f = open('/proc/%d/stat' % p.pid).read().split()
        return int(f[13]) + int(f[14])
    t = ticks()
    time.sleep(1)
    print('tty_gone: FAIL: still running 5 s after its terminal went away, '
          'using %d%% CPU' % (ticks() - t))
    p.kill()
    p.wait()
    sys.exit(1)
PY
