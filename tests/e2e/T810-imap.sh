#!/bin/sh
# The round trip through real servers: majlis sends an invitation over
# Postfix (STARTTLS, AUTH), Dovecot delivers it; the invitee's calendar
# answers as Google Calendar does (an iMIP REPLY to the ORGANIZER, its
# plus-address), another invitee replies by text from Thunderbird; both
# land in the engine's Dovecot mailbox, and majlis reads them over IMAP
# (STARTTLS, the certificate checked): the attendances change, the
# messages are marked done on the server, a second read finds nothing
# new, a new UIDVALIDITY reads them again as duplicates, a wrong password
# changes nothing and says why.
. tests/e2e/lib.sh
. tests/e2e/mail.sh

if [ "$(id -u)" != 0 ] || ! command -v dovecot >/dev/null 2>&1; then
	not_ok "needs root and the mail servers (scripts/setup.sh check)"
	done_testing
fi
mail_start
PY=/usr/bin/python3
NOW=2026-11-29T10:00
expect 0 "init --demo" m init --demo
expect 0 "first tick" m run

mail_majlis_conf "$SUBMISSION_PORT" starttls
cat >>"$T/var/majlis.conf" <<EOF

[intake]
imap_host = 127.0.0.1
imap_port = $IMAP_PORT
imap_security = starttls
imap_user = conseil
imap_password = $PASSWORD_conseil
imap_ca_file = $MAIL_CA_CERT
EOF
mail_majlis_people
expect 0 "the president convokes the second sitting" m event meeting 5 convoke --as E0001
expect 0 "the tick sends the invitations" m run
check "elu1 has hers" mail_wait elu1 1
check "elu2 his" mail_wait elu2 1

# elu1's calendar accepts, as Google Calendar writes it; elu2 replies.
$PY - "$MAILDIR_elu1" "$MAILDIR_elu2" "$SMTP_PORT" "$MAIL_DOMAIN" <<'PY'
import email, email.policy, glob, os, smtplib, sys
from email.message import EmailMessage
import icalendar
box1, box2, port, dom = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def last(box):
    files = sorted(glob.glob(os.path.join(box, "new", "*")) + glob.glob(os.path.join(box, "cur", "*")), key=os.path.getmtime)
    return email.message_from_bytes(open(files[-1], "rb").read(), policy=email.policy.default)
inv = last(box1)
cal = icalendar.Calendar.from_ical([p for p in inv.walk() if p.get_content_type() == "text/calendar"][0].get_content())
ev = list(cal.walk("VEVENT"))[0]
organizer = str(ev["ORGANIZER"])[len("mailto:"):]
rep = icalendar.Calendar()
rep.add("prodid", "-//Google Inc//Google Calendar 70.9054//EN")
rep.add("version", "2.0")
rep.add("method", "REPLY")
e = icalendar.Event()
for k in ("UID", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY"):
    e[k] = ev[k]
e.add("dtstamp", ev.decoded("DTSTAMP"))
e["ORGANIZER"] = ev["ORGANIZER"]
a = icalendar.vCalAddress(f"mailto:elu1@{dom}")
a.params["PARTSTAT"] = "ACCEPTED"
e["ATTENDEE"] = a
rep.add_component(e)
m = EmailMessage()
m["From"] = f"elu1@{dom}"
m["To"] = organizer
m["Subject"] = "Invitation acceptée"
m["Message-ID"] = f"<reply-imip-1@{dom}>"
m.set_content("elu1 a accepté cette invitation.")
m.add_alternative(rep.to_ical(), maintype="text", subtype="calendar", params={"method": "REPLY"})
with smtplib.SMTP("127.0.0.1", port) as s:
    s.send_message(m, from_addr=f"elu1@{dom}", to_addrs=[organizer])
inv2 = last(box2)
r = EmailMessage()
r["From"] = f"elu2@{dom}"
r["To"] = str(inv2["Reply-To"])
r["Subject"] = "Re: " + str(inv2["Subject"])
r["In-Reply-To"] = str(inv2["Message-ID"])
r["References"] = str(inv2["Message-ID"])
r["Message-ID"] = f"<reply-text-2@{dom}>"
quoted = "\n".join("> " + l for l in [p for p in inv2.walk() if p.get_content_type() == "text/plain"][0].get_content().splitlines())
r.set_content("Non, je serai en mission.\n\nLe 29/11/2026 à 11:00, Conseil a écrit :\n" + quoted + "\n")
with smtplib.SMTP("127.0.0.1", port) as s:
    s.send_message(r, from_addr=f"elu2@{dom}", to_addrs=[r["To"].addresses[0].addr_spec])
PY
check "both answers in the engine's mailbox" mail_wait conseil 2

inv1=$(sql "SELECT i.id FROM invitation i JOIN person p ON p.id = i.person_id WHERE p.code = 'E0001' AND i.meeting_id = 5")
inv2=$(sql "SELECT i.id FROM invitation i JOIN person p ON p.id = i.person_id WHERE p.code = 'E0002' AND i.meeting_id = 5")
expect 0 "ingest --imap" m ingest --imap --json
check "two messages read over IMAP, both applied" test "$(json "sum(1 for r in L if r['source'].startswith('imap INBOX') and r['action'] == 'applied')")" -eq 2
check "the calendar's answer: accepted" test "$(sql "SELECT state FROM invitation WHERE id = $inv1")" = accepted
check "the text reply: declined, with its comment" test "$(sql "SELECT state || '|' || comment FROM invitation WHERE id = $inv2")" = "declined|je serai en mission."

flags() {
	$PY - "$IMAP_PORT" "$PASSWORD_conseil" <<'PY'
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
m.login("conseil", sys.argv[2])
m.select("INBOX")
typ, data = m.uid("FETCH", "1:*", "(FLAGS)")
print(" ".join(("D" if b"$MajlisDone" in d and b"\\Seen" in d else "-") for d in data if isinstance(d, bytes)))
m.logout()
PY
}
check "marked done on the server" test "$(flags)" = "D D"
expect 0 "ingest --imap again" m ingest --imap --json
check "finds nothing new" test "$(json "len(L)")" -eq 0

sql "UPDATE imap_state SET uidvalidity = 1"
dump >"$T/before"
expect 0 "the mailbox rebuilt (another UIDVALIDITY)" m ingest --imap --json
check "read again, as duplicates" test "$(json "sum(1 for r in L if r['action'] == 'duplicate')")" -eq 2
dump >"$T/after"
check "nothing changed but where the mailbox was read to" sh -c "diff '$T/before' '$T/after' | grep '^[<>]' | grep -v imap_state | wc -l | grep -qx 0"

sed -i "s/^imap_password = .*/imap_password = wrong/" "$T/var/majlis.conf"
expect 69 "a wrong password" m ingest --imap
has "$T/err" "login failed" && ok "says so" || not_ok "why"
done_testing
