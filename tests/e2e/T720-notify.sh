#!/bin/sh
# Notifications as people get them, on the demo Commune: the rules of
# notify/ (checked by majlis check, overridden by the instance), e-mails
# that parse without defects with their Arabic subjects exact, SMS in
# Gammu's spool, quiet hours (a notification at 23:00 leaves at 07:00),
# one message per event and person however many ticks run, the DGS told
# of probable data errors, acknowledgements chased with a reminder and
# then the superior, and majlis inbox.
. tests/e2e/lib.sh

PY=/usr/bin/python3
if ! $PY -c 'import email, sqlite3' 2>/dev/null; then
	not_ok "Debian's python3 (email, sqlite3) is needed: scripts/setup.sh check installs it"
	done_testing
fi

OUT=$T/var/mail/outbox/new
SMS=$T/var/sms/outbox

# unfold FILE: the header lines of a mail, each on one line.
unfold() {
	tr -d '\r' <"$1" | awk '/^$/ { exit } /^[ \t]/ { sub(/^[ \t]+/, " ");
		printf "%s", $0; next } NR > 1 { print "" } { printf "%s", $0 }
		END { print "" }'
}

# mails ID: the files of the Maildir that are notification ID's.
mails() {
	grep -lsE "^X-Majlis-Object: notification/$1[[:space:]]*\$" "$OUT"/*
}

NOW=2026-11-29T10:00
expect 0 "init --demo" m init --demo
sed -i 's/^quiet = .*/quiet = 21:00-07:00/' "$T/var/majlis.conf"
expect 0 "majlis check reads the notification rules" m check
check "and says so" has "$T/out" "notify/rules.ini: ok"

# The first tick convokes the February session: three members have no
# e-mail address, and the DGS is told, once each.
expect 0 "the first tick" m run --json
check "the meeting was checked for data errors" \
	test "$(json "sum(1 for r in L if r.get('job') == 'check' and '3 members without an e-mail address' in r['detail'])")" -eq 1
dgs=$(sql "SELECT p.id FROM person p JOIN membership m ON m.person_id = p.id WHERE m.role = 'dgs'")
check "the DGS told of each missing address, inbox and e-mail" \
	test "$(sql "SELECT count(*) FROM notification WHERE person_id = $dgs AND message = 'data-error-no-email'")" -eq 6
check "the convocation stays in the inbox (its mail is the invitation)" \
	test "$(sql "SELECT count(DISTINCT channel) FROM notification WHERE message = 'meeting-convoked' AND event_id = (SELECT max(event_id) FROM notification WHERE message = 'meeting-convoked')")" -eq 1

# Quiet hours: a task assigned at 23:00 is mailed at 07:00.
NOW=2026-11-30T23:00
expect 0 "a task assigned at 23:00" m event task 2 assign --as F001
expect 0 "the tick at 23:00" m run
ntf=$(sql "SELECT id FROM notification WHERE message = 'task-assigned' AND channel = 'email' AND object_id = 2")
check "an e-mail row for the assignee" test -n "$ntf"
check "its message waits in the outbox until 07:00" \
	test "$(sql "SELECT state || ' ' || next_at FROM outbox WHERE id = (SELECT outbox_id FROM notification WHERE id = $ntf)")" = "queued 2026-12-01T06:00:00Z"
check "not in the Maildir yet" test "$(mails "$ntf" | wc -l)" -eq 0
check "an acknowledgement wanted two working days after it leaves" \
	test "$(sql "SELECT ack_due_at FROM notification WHERE id = $ntf")" = 2026-12-03T06:00:00Z
NOW=2026-12-01T06:59
expect 0 "a tick at 06:59" m run
check "still waiting" test "$(mails "$ntf" | wc -l)" -eq 0
NOW=2026-12-01T07:00
expect 0 "a tick at 07:00" m run
check "sent at 07:00, once" test "$(mails "$ntf" | wc -l)" -eq 1
f=$(mails "$ntf" | head -1)
unfold "$f" >"$T/headers"
check "dated 07:00" grep -q '^Date: Tue, 1 Dec 2026 07:00:00 +0100' "$T/headers"
check "with a reply token and a read receipt" \
	grep -q '^Disposition-Notification-To: *conseil+t\.[a-z2-7]\{20\}@' "$T/headers"
check "its Message-ID carries the token" \
	grep -q '^Message-ID: <ntf\.[a-z2-7]\{20\}@casablanca\.ma>' "$T/headers"
check "Auto-Submitted" grep -q '^Auto-Submitted: auto-generated' "$T/headers"

# One message per event and person, tick after tick.
for t in 2026-12-01T07:05 2026-12-01T08:00 2026-12-01T08:00; do
	NOW=$t m run >/dev/null 2>&1
done
check "no second row for the same event, person, message and channel" \
	test "$(sql "SELECT count(*) FROM notification GROUP BY event_id, person_id, message, channel, object_kind, object_id HAVING count(*) > 1" | wc -l)" -eq 0
check "still one mail for it" test "$(mails "$ntf" | wc -l)" -eq 1

# A dossier submitted to its owner, who reads it in the app at once. The
# request for a decision carries the dossier's file from the archive.
NOW=2026-12-01T09:00
printf '%%PDF-1.4\n%% cahier des charges\n%%%%EOF\n' >"$T/cps.pdf"
expect 0 "a file filed with the dossier" m archive add --dossier DOS-2026-0012 --title-fr "Cahier des prescriptions spéciales" --title-ar "دفتر الشروط الخاصة" "$T/cps.pdf"
reg=$(sql "SELECT register_no FROM document WHERE dossier_id = (SELECT id FROM dossier WHERE ref = 'DOS-2026-0012')")
expect 0 "a dossier submitted" m event dossier DOS-2026-0012 submit --as F001
expect 0 "tick" m run
sql "SELECT writefile('$T/request.eml', r.raw) FROM outbox o JOIN outbox_raw r ON r.id = o.id WHERE o.kind = 'request' ORDER BY o.id DESC LIMIT 1" >/dev/null
check "the request carries the dossier's file, named in the text" $PY -c "
import email, email.policy, sys
m = email.message_from_bytes(open('$T/request.eml', 'rb').read(), policy=email.policy.default)
att = [p for p in m.walk() if p.get_filename() == '$reg.pdf']
text = [p for p in m.walk() if p.get_content_type() == 'text/plain'][0].get_content()
ok = (att and att[0].get_content().startswith(b'%PDF') and
      '$reg' in text and 'Cahier des prescriptions spéciales' in text and
      'دفتر الشروط الخاصة' in text and '+t.' in str(m['Reply-To']))
sys.exit(0 if ok else 1)"
owner=$(sql "SELECT p.code FROM dossier d JOIN person p ON p.id = d.owner_id WHERE d.ref = 'DOS-2026-0012'")
expect 0 "inbox of the owner" m inbox "$owner" --unread --json
check "lists the submission, green, unread, sent by e-mail too" \
	test "$(json "[(r['message'], r['colour'], r['state'], r['channels']) for r in L][0]")" = "('dossier-submitted', 'green', 'unread', 'inbox email')"
sub=$(json "L[0]['id']")
expect 0 "the owner reads it" m inbox "$owner" --read "$sub"
check "says how many" has "$T/out" "1 notification marked read"
check "acknowledged on every channel" \
	test "$(sql "SELECT count(*) FROM notification WHERE message = 'dossier-submitted' AND acknowledged_at IS NULL AND person_id = (SELECT id FROM person WHERE code = '$owner') AND event_id = (SELECT max(event_id) FROM notification WHERE message = 'dossier-submitted')")" -eq 0
expect 0 "the rest read too" m inbox "$owner" --read all
expect 0 "nothing unread left" m inbox "$owner" --unread
check "says so" has "$T/out" "(no unread notifications)"
expect 65 "somebody else's notification" m inbox F001 --read "$ntf"
expect 64 "a bad --read" m inbox F001 --read many

# Two working days after the mail left: a reminder.
NOW=2026-12-03T07:30
expect 0 "tick on Thursday" m run --json
check "the assignee reminded" \
	test "$(json "sum(r['reminded'] for r in L if r['step'] == 'chase')")" -ge 1
check "due again two working days later" \
	test "$(sql "SELECT reminded_at || ' ' || ack_due_at FROM notification WHERE id = $ntf")" = "2026-12-03T06:30:00Z 2026-12-07T06:30:00Z"

# Late tasks: SMS too; a head without a phone number gets none, and the
# DGS is told once.
sqlite3 "$T/var/majlis.db" "UPDATE person SET phone = NULL WHERE code = 'F002'"
NOW=2026-12-04T10:30
expect 0 "tick after task 1 (F002) and task 6 (F004) are late" m run --json
check "an SMS for the officer" \
	test "$(sql "SELECT count(*) FROM notification n JOIN person p ON p.id = n.person_id WHERE p.code = 'F004' AND n.channel = 'sms' AND n.message = 'task-late'")" -eq 1
check "none for the head without a phone" \
	test "$(sql "SELECT count(*) FROM notification n JOIN person p ON p.id = n.person_id WHERE p.code = 'F002' AND n.channel = 'sms'")" -eq 0
check "the DGS told of the missing number, once" \
	test "$(sql "SELECT count(*) FROM notification WHERE message = 'data-error-no-phone' AND channel = 'inbox' AND object_id = (SELECT id FROM person WHERE code = 'F002')")" -eq 1
check "SMS in Gammu's spool" test "$(ls "$SMS" | grep -c '^OUT.*\.txt$')" -ge 1
sms=$(sql "SELECT o.id FROM outbox o JOIN person p ON p.id = o.person_id WHERE p.code = 'F004' AND o.channel = 'sms'")
$PY - "$SMS" "$T/var/majlis.db" "$sms" >"$T/sms" 2>&1 <<'PY'
import glob, sqlite3, sys
spool, db, oid = sys.argv[1:4]
files = glob.glob(f"{spool}/OUT*_majlis{oid}.txt")
assert len(files) == 1, files
text = open(files[0], "rb").read().decode("utf-16")
c = sqlite3.connect(db)
fr, ar, lang = c.execute("SELECT n.subject_fr, n.subject_ar, p.lang FROM notification n JOIN person p ON p.id = n.person_id WHERE n.outbox_id = ?", (oid,)).fetchone()
want = ar if lang == "ar" else fr
assert text == want[:300], (text, want)
assert len(text) <= 300
print("sms ok")
PY
check "the SMS is the message, in the person's language" has "$T/sms" "sms ok"

# Still nothing from the assignee: the superior (the DGS: the division
# has several heads) is told; then nothing more.
NOW=2026-12-07T08:00
expect 0 "tick on Monday" m run --json
check "the chase reported" test "$(json "sum(1 for r in L if r['step'] == 'chase')")" -eq 1
check "the assignee was reminded, then the DGS told" \
	test "$(sql "SELECT reminded_at IS NOT NULL AND escalated_at IS NOT NULL FROM notification WHERE id = $ntf")" -eq 1
rem=$(sql "SELECT id FROM outbox WHERE kind = 'reminder' AND object_kind = 'notification' AND object_id = $ntf")
check "a reminder in the Maildir" test -n "$rem"
check "escalated to the DGS, in the inbox and by e-mail, red" \
	test "$(sql "SELECT count(*) FROM notification WHERE person_id = $dgs AND message = 'escalation' AND colour = 'red' AND event_id = (SELECT event_id FROM notification WHERE id = $ntf)")" -eq 2
expect 0 "the DGS's inbox" m inbox F001 --json
check "shows the escalation" \
	test "$(json "sum(1 for r in L if r['message'] == 'escalation' and r['colour'] == 'red')")" -ge 1
expect 0 "the DGS's inbox as text" m inbox F001 --limit 5
check "a table with colours" has "$T/out" "red"
before=$(sql "SELECT count(*) FROM notification WHERE message = 'escalation'")
NOW=2026-12-18T08:00
expect 0 "a tick much later" m run
check "no reminder nor escalation twice" \
	test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'reminder' AND object_kind = 'notification' AND object_id = $ntf")" -eq 1
check "the acknowledged submission was never chased" \
	test "$(sql "SELECT count(*) FROM notification WHERE message = 'dossier-submitted' AND acknowledged_at IS NOT NULL AND (reminded_at IS NOT NULL OR escalated_at IS NOT NULL)")" -eq 0
NOW=2026-12-18T08:00
expect 0 "the same tick again" m run
check "no new escalation" \
	test "$(sql "SELECT count(*) FROM notification WHERE message = 'escalation'")" -ge "$before"

# Every message written parses without defects; notification subjects,
# Arabic and French, decode to exactly what the store holds.
$PY - "$OUT" "$T/var/majlis.db" >"$T/mails" 2>&1 <<'PY'
import email, glob, sqlite3, sys
from email import policy
out, db = sys.argv[1:3]
c = sqlite3.connect(db)
n = ntf = ar = rem = 0
bad = []
for f in sorted(glob.glob(out + "/*")):
    m = email.message_from_bytes(open(f, "rb").read(), policy=policy.default)
    n += 1
    for part in m.walk():
        if part.defects:
            bad.append(f"{f}: {part.defects}")
    obj = m.get("X-Majlis-Object", "")
    if not obj.startswith("notification/"):
        continue
    ntf += 1
    row = c.execute("SELECT n.subject_fr, n.subject_ar, p.lang, o.kind FROM notification n JOIN person p ON p.id = n.person_id JOIN outbox o ON o.message_id = ? WHERE n.id = ?", (m["Message-ID"].strip("<> "), int(obj.split("/")[1]))).fetchone()
    fr, sar, lang, kind = row
    if kind == "reminder":
        rem += 1
        if not fr.startswith("Rappel"):
            fr = "Rappel : " + fr
        if not sar.startswith("تذكير"):
            sar = "تذكير: " + sar
        if not m["In-Reply-To"]:
            bad.append(f"{f}: a reminder without In-Reply-To")
    want = f"{sar} — {fr}" if lang == "ar" else f"{fr} — {sar}"
    if str(m["Subject"]) != want:
        bad.append(f"{f}: subject {m['Subject']!r} != {want!r}")
    ar += lang == "ar"
    if m["Auto-Submitted"] != "auto-generated":
        bad.append(f"{f}: no Auto-Submitted")
    html = m.get_body(("html",)).get_content()
    text = m.get_body(("plain",)).get_content()
    if 'dir="rtl"' not in html or 'dir="ltr"' not in html:
        bad.append(f"{f}: HTML without its directions")
    first = text.split("----------")[0]
    if (lang == "ar") != any("\u0600" <= ch <= "\u06ff" for ch in first):
        bad.append(f"{f}: the recipient's language is not first")
for b in bad[:10]:
    print("#", b)
print(f"{n} mails, {ntf} notifications ({ar} Arabic first, {rem} reminders)")
sys.exit(1 if bad or not ntf or not ar or not rem else 0)
PY
rc=$?
sed 's/^/# /' "$T/mails"
check "every mail parses, subjects exact" test $rc -eq 0

# The instance's own rules come first: no e-mail for late tasks here.
cat >"$T/var/notify.ini" <<'EOF'
[notify]
format = 1

[rule late]
message = task-late
channels = inbox
colour = amber
EOF
expect 0 "check with the instance's rules" m check
cat >>"$T/var/notify.ini" <<'EOF'

[rule typo]
message = task-lat
EOF
expect 65 "a rule naming no message" m check
check "file:line" has "$T/err" "notify.ini:10: rule 'typo': 'task-lat' matches no message"
expect 65 "run refuses to start with bad rules" m run
rm "$T/var/notify.ini"
done_testing
