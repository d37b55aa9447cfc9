#!/usr/bin/env python3
"""TCP ports on 127.0.0.1 for the test mail servers (standard library only).

    ports.py pick N                       N distinct free ports, one a line
    ports.py usable PORT...               exit 0 if no one listens on any
    ports.py wait SECONDS KIND:PORT...    until each port greets as KIND
    ports.py free SECONDS PORT...         until no one listens on any PORT

pick chooses at random in 20000-32767: below Linux's ephemeral range (so
outgoing connections never hold them) and far from the standard mail
ports. A port counts as free when it can be bound without SO_REUSEADDR,
so one still in TIME_WAIT from an earlier run is skipped.

wait KINDs: smtp and lmtp (a 220 greeting), imap (an "* OK" greeting),
smtps and imaps (the same inside TLS from the first byte, certificate not
checked: this proves the server is up, not who it is), tcp (accepts a
connection). Each connection is closed politely (QUIT, LOGOUT).

Exit status: 0 done, 1 timed out (what is missing on stderr), 2 usage.
"""

import random
import socket
import ssl
import sys
import time

HOST = "127.0.0.1"
LOW, HIGH = 20000, 32767


def bindable(port, reuse):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if reuse:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((HOST, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick(n):
    chosen = []
    tries = 0
    while len(chosen) < n:
        tries += 1
        if tries > 10000:
            sys.exit("ports: no free port found in %d-%d" % (LOW, HIGH))
        p = random.randint(LOW, HIGH)
        if p not in chosen and bindable(p, reuse=False):
            chosen.append(p)
    for p in chosen:
        print(p)


def readline(f):
    line = f.readline(4096)
    if not line:
        raise OSError("connection closed")
    return line.decode("ascii", "replace")


def greets(kind, port):
    """True when the server on port answers as kind does."""
    s = socket.create_connection((HOST, port), timeout=3)
    try:
        if kind in ("smtps", "imaps"):
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            s = ctx.wrap_socket(s, server_hostname="localhost")
        if kind == "tcp":
            return True
        f = s.makefile("rb")
        if kind in ("smtp", "smtps", "lmtp"):
            line = readline(f)
            while line[3:4] == "-":
                line = readline(f)
            s.sendall(b"QUIT\r\n")
            return line.startswith("220")
        if kind in ("imap", "imaps"):
            line = readline(f)
            s.sendall(b"a LOGOUT\r\n")
            return line.startswith("* OK")
        raise ValueError(kind)
    finally:
        s.close()


def wait(seconds, specs):
    todo = []
    for spec in specs:
        kind, _, port = spec.partition(":")
        if kind not in ("smtp", "smtps", "lmtp", "imap", "imaps", "tcp"):
            sys.exit("ports: unknown kind '%s'" % kind)
        todo.append((kind, int(port)))
    deadline = time.monotonic() + seconds
    last = {}
    while todo:
        for kind, port in list(todo):
            try:
                if greets(kind, port):
                    todo.remove((kind, port))
                    continue
                last[port] = "unexpected greeting"
            except (OSError, ValueError) as e:
                last[port] = str(e)
        if not todo:
            break
        if time.monotonic() > deadline:
            for kind, port in todo:
                print("ports: %s on %s:%d not ready after %g s: %s"
                      % (kind, HOST, port, seconds, last.get(port, "?")),
                      file=sys.stderr)
            return 1
        time.sleep(0.05)
    return 0


def listening(port):
    try:
        socket.create_connection((HOST, port), timeout=1).close()
        return True
    except OSError:
        return False


def free(seconds, ports):
    deadline = time.monotonic() + seconds
    while True:
        busy = [p for p in ports
                if listening(p) or not bindable(p, reuse=True)]
        if not busy:
            return 0
        if time.monotonic() > deadline:
            print("ports: still in use after %g s: %s"
                  % (seconds, " ".join(map(str, busy))), file=sys.stderr)
            return 1
        time.sleep(0.05)


def main(argv):
    if len(argv) >= 2 and argv[0] == "pick":
        pick(int(argv[1]))
        return 0
    if len(argv) >= 2 and argv[0] == "usable":
        ports = [int(p) for p in argv[1:]]
        usable = all(not listening(p) and bindable(p, reuse=True) for p in ports)
        return 0 if usable else 1
    if len(argv) >= 2 and argv[0] == "wait":
        return wait(float(argv[1]), argv[2:])
    if len(argv) >= 2 and argv[0] == "free":
        return free(float(argv[1]), [int(p) for p in argv[2:]])
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
