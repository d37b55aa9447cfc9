#!/bin/sh
# Staff invite a phone contact: the vCards a phone shares (an iPhone's
# 3.0, an Android's 2.1 in quoted-printable Arabic) become contacts
# proposed for a meeting; the proposer is told; staff complete what the
# card lacks and invite, and the guest gets their own invitation with its
# calendar REQUEST, at once for a convoked meeting, with the convocation
# for one still in preparation; a postponed meeting convoked again sends
# every invitation again. Bad cards propose nothing, and only civil
# servants decide.
. tests/e2e/lib.sh

NOW=2026-11-29T10:00
expect 0 "init --demo" m init --demo
expect 0 "first tick" m run

cat >"$T/iphone.vcf" <<'EOF'
BEGIN:VCARD
VERSION:3.0
PRODID:-//Apple Inc.//iPhone OS 17.4//EN
N:Lahlou;Omar;;M.;
FN:Omar Lahlou
ORG:Préfecture de Casablanca-Anfa
TITLE:Représentant de l'autorité locale
item1.EMAIL;type=INTERNET;type=pref:omar.lahlou@interieur.example.ma
TEL;type=CELL;type=VOICE:+212 6 61 00 22 33
END:VCARD
EOF
# Android's export: no gender, the name in Arabic only.
printf 'BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=A7=D9=84=D8=B9=D9=84=D9=88=D9=8A;=D8=B3=D9=84=D9=85=D9=89;;;\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=B3=D9=84=D9=85=D9=89 =D8=A7=D9=84=D8=B9=D9=84=D9=88=D9=8A\r\nTEL;CELL:0661998877\r\nEMAIL;INTERNET:salma.alaoui@example.ma\r\nEND:VCARD\r\n' >"$T/android.vcf"
printf 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ok\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@example.ma\r\nEND:VCARD\r\n' >"$T/bad.vcf"

# Meeting 4 is convoked, meeting 5 still in preparation.
check "the meetings are as the test needs" \
	test "$(sql "SELECT group_concat(state, ' ') FROM meeting WHERE id IN (4, 5) ORDER BY id")" = "convoked draft"

expect 0 "an iPhone's card proposed for meeting 4" m contact add --meeting 4 --as F002 "$T/iphone.vcf"
check "a contact, proposed" test "$(sql "SELECT state || ' ' || name || ' ' || gender || ' ' || email || ' ' || phone || ' ' || meeting_id FROM contact WHERE id = 1")" = "proposed Omar Lahlou M omar.lahlou@interieur.example.ma +212661002233 4"
check "its names in both fields" test "$(sql "SELECT given_fr || ' ' || family_fr || '|' || given_ar || ' ' || family_ar FROM contact WHERE id = 1")" = "Omar Lahlou|Omar Lahlou"
expect 0 "the same card again" m contact add --meeting 4 --as F002 "$T/iphone.vcf" --json
check "is a duplicate, not a second contact" sh -c "grep -q '\"outcome\":\"duplicate\"' '$T/out' && test \"\$(sqlite3 '$T/var/majlis.db' 'SELECT count(*) FROM contact')\" -eq 1"
expect 0 "an Android card in Arabic for meeting 5" m contact add --meeting 5 --as F002 "$T/android.vcf"
check "read from quoted-printable, Arabic, no gender" test "$(sql "SELECT name || '|' || given_ar || ' ' || family_ar || '|' || lang || '|' || coalesce(gender, '-') FROM contact WHERE id = 2")" = "سلمى العلوي|سلمى العلوي|ar|-"

dump >"$T/before"
expect 65 "a file with a card without a name" m contact add --meeting 4 --as F002 "$T/bad.vcf"
has "$T/err" "bad.vcf: line 5: a card without a name" && ok "says which file and line" || not_ok "file:line"
dump >"$T/after"
check "and proposes nothing, not even its good card" cmp -s "$T/before" "$T/after"
expect 66 "a file that is not there" m contact add --as F002 "$T/none.vcf"
expect 64 "without --as" m contact add "$T/iphone.vcf"
expect 65 "for a meeting that does not exist" m contact add --meeting 99 --as F002 "$T/iphone.vcf"

expect 0 "tick" m run
check "the proposer is told, with what to do" \
	test "$(sql "SELECT count(*) FROM notification n JOIN person p ON p.id = n.person_id WHERE p.code = 'F002' AND n.message = 'contact-proposed' AND n.subject_fr LIKE '%majlis event contact 1 invite%'")" -eq 1

expect 65 "an élu may not invite" m event contact 1 invite --as E0001
has "$T/err" "is not a civil servant" && ok "says why" || not_ok "why"
expect 65 "the Arabic card cannot be invited without a gender" m event contact 2 invite --as F002
has "$T/err" "the gender of the contact is not known" && ok "says what to set" || not_ok "what to set"

expect 0 "staff invite the iPhone's contact" m event contact 1 invite --as F002
expect 0 "tick" m run
check "a guest person" test "$(sql "SELECT code || ' ' || kind || ' ' || gender || ' ' || lang FROM person WHERE email = 'omar.lahlou@interieur.example.ma'")" = "INV-0001 invite M fr"
check "invited to meeting 4, sent at once" test "$(sql "SELECT i.state FROM invitation i JOIN person p ON p.id = i.person_id WHERE p.code = 'INV-0001' AND i.meeting_id = 4")" = sent
check "the contact names the person" test "$(sql "SELECT state || ' ' || (SELECT code FROM person WHERE id = person_id) FROM contact WHERE id = 1")" = "invited INV-0001"

# The guest's mail: their own invitation, calendar and PDF.
mail_of() {
	sql "SELECT writefile('$T/$2.eml', r.raw) FROM outbox o JOIN outbox_raw r ON r.id = o.id WHERE o.recipient = '$1' AND o.kind = 'invitation' ORDER BY o.id DESC LIMIT 1" >/dev/null
	/usr/bin/python3 - "$T/$2.eml" <<'PY'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
types = [p.get_content_type() for p in m.walk()]
cal = [p for p in m.walk() if p.get_content_type() == "text/calendar"][0].get_content()
text = [p for p in m.walk() if p.get_content_type() == "text/plain"][0].get_content()
print(str(m["To"]))
print(" ".join(types))
print("ATTENDEE" in cal and "RSVP=TRUE" in cal and "METHOD:REQUEST" in cal)
print(text.splitlines()[0])
PY
}
mail_of omar.lahlou@interieur.example.ma omar >"$T/omar"
check "addressed to him" test "$(sed -n 1p "$T/omar")" = '"M. Omar Lahlou" <omar.lahlou@interieur.example.ma>'
check "with the calendar and the convocation" test "$(sed -n 2p "$T/omar")" = "multipart/mixed multipart/alternative text/plain text/html text/calendar application/pdf application/ics"
check "a REQUEST asking for his answer" test "$(sed -n 3p "$T/omar")" = True
check "in French first, as his card is" test "$(sed -n 4p "$T/omar")" = "M. Omar Lahlou,"
check "the staff member is told it went" \
	test "$(sql "SELECT count(*) FROM notification n JOIN person p ON p.id = n.person_id WHERE p.code = 'F002' AND n.message = 'contact-invited'")" -eq 1
expect 65 "inviting twice is refused" m event contact 1 invite --as F002

# The Arabic card, completed, for the meeting in preparation.
expect 0 "staff complete and invite the Arabic card" m event contact 2 invite --as F002 --set gender=F --set given_fr=Salma --set family_fr=Alaoui
expect 0 "tick" m run
check "invited, but not sent before the convocation" test "$(sql "SELECT i.state FROM invitation i JOIN person p ON p.id = i.person_id WHERE p.email = 'salma.alaoui@example.ma' AND i.meeting_id = 5")" = pending
check "nothing mailed to her yet" test "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'salma.alaoui@example.ma' AND kind = 'invitation'")" -eq 0
expect 0 "the president convokes meeting 5" m event meeting 5 convoke --as E0001
expect 0 "tick" m run
check "her invitation went with the convocation" test "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'salma.alaoui@example.ma' AND kind = 'invitation'")" -eq 1
mail_of salma.alaoui@example.ma salma >"$T/salma"
check "in Arabic first, to her" sh -c "sed -n 1p '$T/salma' | grep -q 'السيدة سلمى العلوي'"
check "Arabic greeting" test "$(sed -n 4p "$T/salma")" = "السيدة سلمى العلوي،"

# A postponement sends a CANCEL; convoking again sends everyone's
# invitation again (the guest's too), one more SEQUENCE.
members=$(sql "SELECT count(*) FROM invitation WHERE meeting_id = 5 AND state = 'sent'")
expect 0 "meeting 5 postponed" m event meeting 5 postpone --as E0001 --set starts_at=2027-02-25T10:00
expect 0 "tick" m run
check "every invitation back to be sent" test "$(sql "SELECT count(*) FROM invitation WHERE meeting_id = 5 AND state = 'pending'")" -eq "$members"
expect 0 "convoked again" m event meeting 5 convoke --as E0001
expect 0 "tick" m run
check "every invitation sent again" test "$(sql "SELECT count(*) FROM invitation WHERE meeting_id = 5 AND state = 'sent'")" -eq "$members"
check "the guest got her second invitation" test "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'salma.alaoui@example.ma' AND kind = 'invitation'")" -eq 2
sql "SELECT writefile('$T/second.eml', r.raw) FROM outbox o JOIN outbox_raw r ON r.id = o.id WHERE o.recipient = 'salma.alaoui@example.ma' AND o.kind = 'invitation' ORDER BY o.id DESC LIMIT 1" >/dev/null
check "at the new date, SEQUENCE 1" /usr/bin/python3 -c "
import email, email.policy, sys
m = email.message_from_bytes(open('$T/second.eml', 'rb').read(), policy=email.policy.default)
cal = [p for p in m.walk() if p.get_content_type() == 'text/calendar'][0].get_content()
sys.exit(0 if 'SEQUENCE:1' in cal and 'DTSTART;TZID=Africa/Casablanca:20270225T' in cal else 1)"

expect 0 "a third card" m contact add --as F002 "$T/iphone.vcf"
check "proposed for no meeting yet" test "$(sql "SELECT count(*) FROM contact WHERE id = 3 AND meeting_id IS NULL")" -eq 1
expect 65 "cannot be invited without a meeting" m event contact 3 invite --as F002
has "$T/err" "the meeting_id of the contact is not known" && ok "says so" || not_ok "meeting"
expect 0 "dismissed" m event contact 3 dismiss --as F002 --set "comment=déjà invité"
check "dismissed, no person made" test "$(sql "SELECT state || ' ' || coalesce(person_id, '-') FROM contact WHERE id = 3")" = "dismissed -"
expect 0 "show contacts" m show contacts
has "$T/out" "INV-0001" && ok "lists them" || not_ok "list"
expect 0 "every mail still parses" /usr/bin/python3 -c "
import email, email.policy, glob, sys
bad = 0
for f in glob.glob('$T/var/mail/outbox/new/*'):
    m = email.message_from_bytes(open(f, 'rb').read(), policy=email.policy.default)
    bad += len(m.defects) + sum(len(p.defects) for p in m.walk())
sys.exit(1 if bad else 0)"
done_testing
