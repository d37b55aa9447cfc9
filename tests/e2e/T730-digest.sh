#!/bin/sh
# The daily digests and the private calendar feeds of the demo Commune,
# as people get them: nothing before the digest hour; at the hour, one
# digest for each person with something to say, none for the others, and
# never two the same day; each parses without defects in Python's email
# package, its Arabic decodes exactly, and management's carries its chart
# as an inline PNG the HTML points to; the feeds parse with Python's
# icalendar, keep the invitations' UIDs, and change when a meeting is
# rescheduled.
. tests/e2e/lib.sh

# Debian's Python has the email and icalendar packages these checks use.
PY=/usr/bin/python3
if ! $PY -c 'import icalendar' 2>/dev/null; then
	echo "not ok 1 - prerequisite: python3-icalendar (/usr/bin/python3)"
	echo "1..1"
	exit 1
fi
OUT=$T/var/mail/outbox/new

NOW=2026-11-29T06:30
expect 0 "init --demo" m init --demo
expect 0 "a tick before the digest hour" m run --json
check "no digest before 07:00" test "$(sql "SELECT count(*) FROM digest")" -eq 0
check "the feeds are written" test "$(json "sum(r['written'] for r in L if r['step'] == 'feed')")" -gt 100
expect 0 "digest at 06:30 does nothing" m digest
has "$T/out" "digest: nothing to do" && ok "and says why" || not_ok "says why"

# digests: the raw files of the maildir that are digests.
digests() {
	grep -l '^Message-ID: <dig\.' "$OUT"/* 2>/dev/null
}
before=$(ls "$OUT" | wc -l)

NOW=2026-11-29T07:05
expect 0 "the tick at the digest hour" m run --json
sent=$(json "sum(r['sent'] for r in L if r['step'] == 'digest')")
empty=$(json "sum(r['empty'] for r in L if r['step'] == 'digest')")
check "digests sent ($sent)" test "$sent" -gt 100
check "and persons with nothing ($empty)" test "$empty" -gt 100
check "everyone with an address examined once" \
	test "$((sent + empty))" -eq "$(sql "SELECT count(*) FROM person WHERE email IS NOT NULL AND email <> ''")"
check "the digests are in the maildir" test "$(digests | wc -l)" -eq "$sent"
check "as the outbox says" \
	test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'digest' AND state = 'sent'")" -eq "$sent"

# Each digest read by Python's email package: no defects anywhere, the
# text and the HTML, in the person's language first, their Arabic
# exactly as in the store; the chart for management only.
sql "SELECT p.code, p.lang, p.email, CASE p.gender WHEN 'F' THEN 'السيدة ' ELSE 'السيد ' END || p.given_ar || ' ' || p.family_ar, EXISTS (SELECT 1 FROM membership m JOIN organization g ON g.id = m.organization_id WHERE m.person_id = p.id AND ((m.role IN ('president', 'vice_president') AND g.code = 'CC') OR m.role = 'dgs')) FROM person p" >"$T/people"
digests >"$T/digests"
check "every digest reads back" $PY - "$T/people" "$T/digests" <<'PY'
import email, email.policy, struct, sys

people = {}
for line in open(sys.argv[1], encoding="utf-8"):
    code, lang, addr, name_ar, mgmt = line.rstrip("\n").split("|")
    people[addr.lower()] = (code, lang, name_ar, mgmt == "1")
bad = 0
charts = 0
def fail(path, why):
    global bad
    bad += 1
    if bad < 10:
        print("#", path, why)
for path in open(sys.argv[2]).read().split():
    raw = open(path, "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    if m.defects or any(p.defects for p in m.walk()):
        fail(path, "defects")
    to = m["To"].addresses[0].addr_spec.lower()
    code, lang, name_ar, mgmt = people[to]
    mid = m["Message-ID"]
    if mid != "<dig.%s.20261129@casablanca.ma>" % code:
        fail(path, "Message-ID " + mid)
    subject = str(m["Subject"])
    ar_subject = "النشرة اليومية ليوم الأحد 29 نونبر 2026"
    fr_subject = "Bulletin du dimanche 29 novembre 2026"
    want = (ar_subject + " — " + fr_subject if lang == "ar"
            else fr_subject + " — " + ar_subject)
    if subject != want:
        fail(path, "subject " + subject)
    # The maildir keeps the CRLF of the wire; a reader sees lines.
    text = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = m.get_body(("html",)).get_content()
    ar_at = text.find(name_ar + "،\n\nإليكم نشرتكم اليومية ليوم الأحد 29 نونبر 2026.")
    fr_at = text.find("Voici votre bulletin du dimanche 29 novembre 2026.")
    if ar_at < 0 or fr_at < 0 or (ar_at < fr_at) != (lang == "ar"):
        fail(path, "languages %d %d %s" % (ar_at, fr_at, lang))
    if ('<html lang="%s" dir="%s">' % (lang, "rtl" if lang == "ar" else "ltr")) not in html:
        fail(path, "html direction")
    pngs = [p for p in m.walk() if p.get_content_type() == "image/png"]
    if mgmt != bool(pngs):
        fail(path, "chart for management only")
    for p in pngs:
        data = p.get_content()
        cid = p["Content-ID"].strip("<>")
        w, h = struct.unpack(">II", data[16:24])
        if (data[:8] != b"\x89PNG\r\n\x1a\n" or w != 1280 or h < 400
                or p.get_content_disposition() != "inline"
                or ('src="cid:%s"' % cid) not in html
                or "Chiffres clés de la Commune" not in text):
            fail(path, "chart")
        charts += 1
print("# %d digests, %d charts" % (len(open(sys.argv[2]).read().split()), charts))
sys.exit(1 if bad or not charts else 0)
PY

# What an élu of the council reads: the invitation awaiting their answer,
# with its convocation's number, in both languages.
e12=$(grep -l '^Message-ID: <dig\.E0012\.' "$OUT"/*)
check "an élu's digest asks for their answer" $PY - "$e12" <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
t = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
ok = ("دعوات في انتظار ردكم (1)" in t
      and "Invitations en attente de votre réponse (1)" in t
      and "(الاستدعاء CONV-2026-0005)" in t
      and "Chiffres clés" not in t)
if not ok:
    print("#", t.replace("\n", "\n# "))
sys.exit(0 if ok else 1)
PY
# Management: the DGS (F001) sees late tasks and dossiers in the figures.
f001=$(grep -l '^Message-ID: <dig\.F001\.' "$OUT"/*)
check "the DGS's figures" $PY - "$f001" <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
t = m.get_body(("plain",)).get_content()
ok = "- مهام متأخرة: 2" in t and "- Tâches en retard : 2" in t and "- Dossiers en retard : 2" in t
sys.exit(0 if ok else 1)
PY

# Nobody with nothing to say gets a digest.
nothing=$(sql "SELECT p.email FROM digest d JOIN person p ON p.id = d.person_id WHERE d.items = 0 LIMIT 1")
check "a person with nothing gets no mail ($nothing)" \
	test "$(grep -l "^To: .*$nothing" $(digests) | wc -l)" -eq 0
check "but their day is recorded" \
	test "$(sql "SELECT count(*) FROM digest d JOIN person p ON p.id = d.person_id WHERE p.email = '$nothing' AND d.outbox_id IS NULL")" -eq 1

# Never two the same day.
NOW=2026-11-29T09:00
expect 0 "a later tick" m run --json
check "makes no digest" test "$(json "sum(1 for r in L if r['step'] == 'digest')")" -eq 0
expect 0 "digest --force the same day" m digest --force --json
check "makes none either" test "$(json "L[0]['sent'] + L[0]['empty']")" -eq 0
check "still one digest a person" test "$(digests | wc -l)" -eq "$sent"

# A preview, without sending.
expect 0 "digest --preview" m digest --preview E0001 -o "$T/preview.eml"
check "the preview is a digest" $PY -c "
import email, email.policy, sys
m = email.message_from_bytes(open('$T/preview.eml', 'rb').read(), policy=email.policy.default)
sys.exit(0 if m['Message-ID'] == '<dig.E0001.20261129@casablanca.ma>' and not m.defects else 1)"
check "and sends nothing" test "$(digests | wc -l)" -eq "$sent"

# The next morning, the next digests.
NOW=2026-11-30T07:00
expect 0 "the next morning's tick" m run --json
check "new digests" test "$(sql "SELECT count(*) FROM digest WHERE day = '2026-11-30' AND outbox_id IS NOT NULL")" -gt 100

# Feeds.
expect 0 "feed E0002" m feed E0002
feed=$(cat "$T/out")
check "its path is out/calendars/TOKEN.ics" \
	test "$feed" = "$T/var/out/calendars/$(sql "SELECT feed_token FROM person WHERE code = 'E0002'").ics"
check "one feed a person invited" \
	test "$(ls "$T/var/out/calendars" | wc -l)" -eq "$(sql "SELECT count(DISTINCT person_id) FROM invitation WHERE state <> 'pending'")"
cp "$feed" "$T/feed1.ics"
# feed FILE UID: the SEQUENCE and start of the event UID, read by
# Python's icalendar.
event() {
	$PY - "$1" "$2" <<'PY'
import icalendar, sys
cal = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
assert str(cal["METHOD"]) == "PUBLISH"
for ev in cal.walk("VEVENT"):
    if str(ev["UID"]) == sys.argv[2]:
        print(ev["SEQUENCE"], ev.decoded("DTSTART").isoformat(), ev["STATUS"])
PY
}
check "the feed parses, with the invitation's UID" \
	test "$(event "$T/feed1.ics" meeting-4@casablanca.ma)" = "0 2027-02-02T10:00:00+01:00 CONFIRMED"
expect 0 "a tick rewrites no unchanged feed" m run --json
check "none written" test "$(json "sum(1 for r in L if r['step'] == 'feed')")" -eq 0
expect 0 "the president reschedules meeting 4" \
	m event meeting 4 reschedule --as E0001 --set starts_at=2027-02-03T10:00 --set ends_at=2027-02-03T15:00
expect 0 "the tick after" m run --json
check "rewrites the feeds of the invitees" \
	test "$(json "sum(r['written'] for r in L if r['step'] == 'feed')")" -ge 140
check "the feed changed: next SEQUENCE, new time" \
	test "$(event "$feed" meeting-4@casablanca.ma)" = "1 2027-02-03T10:00:00+01:00 CONFIRMED"
expect 0 "feed E0002 again" m feed E0002 --json
check "same file, nothing to write" test "$(json "(L[0]['path'], L[0]['written'])")" = "('$feed', 0)"
done_testing
