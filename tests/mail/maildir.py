#!/usr/bin/python3
"""Reads a Maildir for the tests (standard library only).

    maildir.py list    MAILDIR            one message a line: N, folder, file,
                                          From, To, Subject (tab-separated)
    maildir.py count   MAILDIR            how many messages (new/ and cur/)
    maildir.py wait    MAILDIR N [-t S]   until there are at least N messages,
                                          at most S seconds (default 10)
    maildir.py path    MAILDIR [MSG]      the message's file
    maildir.py raw     MAILDIR [MSG]      the message as it is
    maildir.py headers MAILDIR [MSG]      its header, encoded words decoded
    maildir.py header  MAILDIR MSG NAME   the (decoded) values of one field,
                                          one a line; exit 1 if absent
    maildir.py parts   MAILDIR [MSG]      its MIME parts: number, type,
                                          charset, filename, decoded size
    maildir.py part    MAILDIR MSG N      part N's content, transfer encoding
                                          undone (text as UTF-8)
    maildir.py body    MAILDIR [MSG]      the first text/plain part (else the
                                          first text part), as UTF-8 text
    maildir.py find    MAILDIR NAME TEXT  the numbers of the messages whose
                                          field NAME contains TEXT

MAILDIR is a Maildir's path, or a user's name of the test mail servers when
$MAIL_DIR is set (tests/mail/start.sh's env file): elu1 means
$MAIL_DIR/maildirs/elu1. MSG numbers messages in the order they arrived,
from 1; -1 (the default) is the last one, -2 the one before.

Exit status: 0 done, 1 not found or timed out, 2 usage.
"""

import email
import email.header
import email.policy
import os
import re
import sys
import time


def fail(msg, code=1):
    print("maildir: " + msg, file=sys.stderr)
    sys.exit(code)


def resolve(arg):
    if os.path.isdir(os.path.join(arg, "cur")) or "/" in arg:
        return arg
    base = os.environ.get("MAIL_DIR")
    if base and re.fullmatch(r"[A-Za-z0-9._-]+", arg):
        return os.path.join(base, "maildirs", arg)
    return arg


def order_key(entry):
    """Arrival order: Dovecot names files SECONDS.MMICROSECONDSPPID.HOST."""
    folder, name, mtime = entry
    m = re.match(r"(\d+)\.(?:[^.]*?M(\d+))?", name)
    if m:
        return (int(m.group(1)), int(m.group(2) or 0), name)
    return (int(mtime), 0, name)


def messages(maildir):
    if not os.path.isdir(os.path.join(maildir, "new")):
        fail("'%s' is not a Maildir (no new/)" % maildir)
    found = []
    for folder in ("new", "cur"):
        d = os.path.join(maildir, folder)
        for name in os.listdir(d):
            if name.startswith("."):
                continue
            path = os.path.join(d, name)
            try:
                found.append((folder, name, os.stat(path).st_mtime))
            except FileNotFoundError:
                pass  # moved from new/ to cur/ while we looked
    found.sort(key=order_key)
    return [(f, n, os.path.join(maildir, f, n)) for f, n, _ in found]


def pick(maildir, which):
    msgs = messages(maildir)
    try:
        i = int(which)
    except ValueError:
        fail("message number expected, not '%s'" % which, 2)
    if i == 0 or abs(i) > len(msgs):
        fail("no message %d in %s (%d there)" % (i, maildir, len(msgs)))
    return msgs[i - 1 if i > 0 else i]


def load(path):
    with open(path, "rb") as f:
        return email.message_from_binary_file(f, policy=email.policy.compat32)


def decode(value):
    """A header value with its RFC 2047 encoded words decoded, unfolded."""
    if value is None:
        return ""
    try:
        parts = email.header.decode_header(str(value))
    except Exception:
        return str(value)
    out = []
    for text, charset in parts:
        if isinstance(text, bytes):
            text = text.decode(charset or "ascii", "replace")
        out.append(text)
    return re.sub(r"\r?\n[ \t]+", " ", "".join(out))


def leaves(msg):
    """The MIME leaves, in order, numbered from 1."""
    return [p for p in msg.walk() if not p.is_multipart()]


def content(part):
    data = part.get_payload(decode=True) or b""
    if part.get_content_maintype() == "text":
        charset = part.get_content_charset() or "utf-8"
        try:
            return data.decode(charset, "replace").encode("utf-8")
        except LookupError:
            return data
    return data


def write(data):
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    cmd, args = argv[0], argv[1:]
    if not args:
        fail("%s needs a Maildir" % cmd, 2)
    maildir = resolve(args[0])
    rest = args[1:]

    if cmd == "count":
        print(len(messages(maildir)))
        return 0
    if cmd == "list":
        for i, (folder, name, path) in enumerate(messages(maildir), 1):
            m = load(path)
            print("\t".join([str(i), folder, name, decode(m["From"]),
                             decode(m["To"]), decode(m["Subject"])]))
        return 0
    if cmd == "wait":
        timeout = 10.0
        if "-t" in rest:
            k = rest.index("-t")
            timeout = float(rest[k + 1])
            del rest[k:k + 2]
        if len(rest) != 1:
            fail("usage: wait MAILDIR N [-t SECONDS]", 2)
        want = int(rest[0])
        deadline = time.monotonic() + timeout
        while True:
            have = len(messages(maildir))
            if have >= want:
                return 0
            if time.monotonic() >= deadline:
                fail("%s: %d message(s) after %g s, wanted %d"
                     % (maildir, have, timeout, want))
            time.sleep(0.05)
    if cmd == "find":
        if len(rest) != 2:
            fail("usage: find MAILDIR NAME TEXT", 2)
        name, text = rest
        hits = [str(i) for i, (_, _, path) in enumerate(messages(maildir), 1)
                if any(text in decode(v) for v in load(path).get_all(name, []))]
        if hits:
            print("\n".join(hits))
        return 0 if hits else 1

    if cmd in ("header", "part"):
        if len(rest) != 2:
            fail("usage: %s MAILDIR MSG %s" % (cmd, "NAME" if cmd == "header" else "N"), 2)
        which, arg = rest
    else:
        if len(rest) > 1:
            fail("usage: %s MAILDIR [MSG]" % cmd, 2)
        which, arg = (rest[0] if rest else "-1"), None
    folder, name, path = pick(maildir, which)

    if cmd == "path":
        print(path)
        return 0
    if cmd == "raw":
        with open(path, "rb") as f:
            write(f.read())
        return 0
    msg = load(path)
    if cmd == "headers":
        for k, v in msg.items():
            print("%s: %s" % (k, decode(v)))
        return 0
    if cmd == "header":
        values = msg.get_all(arg, [])
        for v in values:
            print(decode(v))
        return 0 if values else 1
    if cmd == "parts":
        for i, p in enumerate(leaves(msg), 1):
            print("\t".join([str(i), p.get_content_type(),
                             p.get_content_charset() or "-",
                             decode(p.get_filename()) or "-",
                             str(len(p.get_payload(decode=True) or b""))]))
        return 0
    if cmd == "part":
        parts = leaves(msg)
        n = int(arg)
        if not 1 <= n <= len(parts):
            fail("no part %d (%d parts)" % (n, len(parts)))
        write(content(parts[n - 1]))
        return 0
    if cmd == "body":
        parts = leaves(msg)
        texts = [p for p in parts if p.get_content_type() == "text/plain"] or \
                [p for p in parts if p.get_content_maintype() == "text"]
        if not texts:
            fail("no text part")
        write(content(texts[0]))
        return 0
    fail("unknown command '%s' (see --help)" % cmd, 2)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        sys.exit(0)
