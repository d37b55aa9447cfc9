#!/usr/bin/python3
"""Answers mails of an instance with the messages of tests/corpus/intake:
each file gets the reply token of a mail the instance sent (invitations
of meeting 4 to different élus; requests for a decision on the dossiers
in review, for the dossier words) and the address it went to, but for
the forged ones, and is written into the Maildir INBOX/new. Writes PLAN:
file, expected action, the object it answers, the address used. Used by
make demo (a few of them) and tests/e2e/T800-ingest.sh (all).

    /usr/bin/python3 scripts/mail-replies.py DB CORPUS INBOX PLAN [FILE...]
"""
import base64, os, re, sqlite3, sys
db, corpus, inbox, plan = sys.argv[1:5]
only = set(sys.argv[5:])
con = sqlite3.connect(db)
inv = con.execute("""SELECT o.message_id, p.email, i.id FROM outbox o
    JOIN invitation i ON i.id = o.object_id AND o.object_kind = 'invitation'
    JOIN person p ON p.id = o.person_id
    WHERE o.kind = 'invitation' AND i.meeting_id = 4 ORDER BY i.id""").fetchall()
req = con.execute("""SELECT o.message_id, p.email, d.ref FROM outbox o
    JOIN dossier d ON d.id = o.object_id AND o.object_kind = 'dossier'
    JOIN person p ON p.id = o.person_id
    WHERE o.kind = 'request' AND d.state = 'in_review' ORDER BY d.id""").fetchall()
staff = con.execute("SELECT email FROM person WHERE code = 'F002'").fetchone()[0]
tok = lambda mid: re.match(r"[a-z]+\.([a-z2-7]{20})@", mid).group(1)
senders = ["karima.bennani@elus.casablanca.ma", "youssef.elamrani@elus.casablanca.ma",
           "omar.lahlou@interieur.example.ma", "abdellatif.ouazzani@elus.casablanca.ma",
           "karim.benchekroun@casablanca.ma", "salma.tazi@elus.casablanca.ma",
           "hanane.sabri@elus.casablanca.ma", "nadia.guessous@casablanca.ma",
           "brahim.lahlou@casablanca.ma", "asmaa.doukkali@casablanca.ma",
           "lahcen.berrada@casablanca.ma"]
out = open(plan, "w")
k = r = 0
for line in open(os.path.join(corpus, "expected.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    f, kind, where, says, action = line.rstrip("\n").split("\t")
    if only and f not in only:
        continue
    raw = open(os.path.join(corpus, f), "rb").read()
    obj = ""
    if says in ("approve", "reject", "return"):
        mid, email, obj = req[r]; r += 1
    elif f in ("vcard-iphone.eml", "form-dossier-staff.eml"):
        mid, email = "x.tokentokentokentoken@x", staff
    elif f.startswith("form-"):
        # A citizen's own address: no token, no one to stand for.
        mid, email = "x.tokentokentokentoken@x", None
    else:
        mid, email, obj = inv[k]; k += 1
    def fix(b):
        b = b.replace(b"tokentokentokentoken", tok(mid).encode())
        if email and not f.startswith("forgery-display"):
            for s in senders:
                b = re.sub(re.escape(s.encode()), email.encode(), b,
                           flags=re.I)
        return b
    # Base64 bodies (Outlook's calendar) get the same, encoded again.
    def b64(m):
        body = base64.b64decode(m.group(2))
        return m.group(1) + base64.encodebytes(fix(body)) + b"\n"
    raw = re.sub(rb"(Content-Transfer-Encoding: base64\n\n)((?:[A-Za-z0-9+/=]+\n)+)\n", b64, raw)
    raw = fix(raw)
    open(os.path.join(inbox, f), "wb").write(raw)
    out.write(f"{f}\t{action}\t{obj}\t{email}\n")
