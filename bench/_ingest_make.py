#!/usr/bin/python3
"""Makes the Maildir of bench/ingest.sh: COUNT messages of the mix intake
meets, from the corpus of tests/corpus/intake (replies as each client
writes them, calendar answers, receipts, bounces, auto-replies, contact
cards, forgeries; each with a token and a Message-ID of its own) and the
real bounces of ../shared/corpus/bounces, read from there.

    /usr/bin/python3 bench/_ingest_make.py DIR COUNT
"""
import glob, os, random, sys

out, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(20261203)
ours = [open(f, "rb").read() for f in sorted(glob.glob("tests/corpus/intake/*.eml"))
        if "hostile" not in f]
bounces = [open(f, "rb").read() for f in
           sorted(glob.glob("../shared/corpus/bounces/maildir/bsd/*.eml"))]
b32 = "abcdefghijklmnopqrstuvwxyz234567"
os.makedirs(os.path.join(out, "new"), exist_ok=True)
for i in range(count):
    # Two in three from our clients' shapes, one in three a real bounce.
    if bounces and i % 3 == 2:
        raw = bounces[rng.randrange(len(bounces))]
    else:
        tok = "".join(rng.choice(b32) for _ in range(20)).encode()
        raw = ours[rng.randrange(len(ours))].replace(b"tokentokentokentoken", tok)
        raw = raw.replace(b"Message-ID: <", b"Message-ID: <%d." % i, 1)
        raw = raw.replace(b"Message-Id: <", b"Message-Id: <%d." % i, 1)
    with open(os.path.join(out, "new", "%08d.bench" % i), "wb") as f:
        f.write(raw)
