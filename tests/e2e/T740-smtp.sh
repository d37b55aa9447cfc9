#!/bin/sh
# The full loop through real servers: a meeting convoked, majlis submits
# each invitation to Postfix over STARTTLS with AUTH (the certificate
# checked against the test CA), Postfix delivers over LMTP into Dovecot's
# Maildirs, and what the invitees received is read back: headers, the
# Arabic subject and names, the reply token everywhere it belongs, the
# iCalendar REQUEST (parsed by Python's icalendar), the PDF. Then an
# update (SEQUENCE + 1), a cancellation (CANCEL), a refused recipient
# (failed with Postfix's words), a server that is down (deferred, then
# sent), one that drops the connection mid-DATA or never answers
# (deferred, nothing lost), and a crash between SMTP and the store (sent
# again under the same Message-ID, never a new one).
. tests/e2e/lib.sh
. tests/e2e/mail.sh

if [ "$(id -u)" != 0 ] || ! command -v postfix >/dev/null 2>&1; then
	not_ok "needs root and the mail servers (scripts/setup.sh check)"
	done_testing
fi
mail_start
PY=/usr/bin/python3

# mbox_count MAILDIR; mbox_wait MAILDIR N SECONDS: delivery is a moment
# behind the SMTP reply (Postfix, then LMTP).
mbox_count() {
	ls "$1/new" "$1/cur" 2>/dev/null | grep -c -v -e '^$' -e ':$'
}
mbox_wait() {
	i=0
	while [ "$(mbox_count "$1")" -lt "$2" ] && [ $i -lt $(($3 * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(mbox_count "$1")" -ge "$2" ]
}

NOW=2026-11-29T10:00
expect 0 "init --demo" m init --demo
expect 0 "first tick" m run

# Production settings: submission, STARTTLS, AUTH, the test CA.
mail_majlis_conf "$SUBMISSION_PORT" starttls
# The council's members get addresses of the test domain (caught by the
# catch-all), the president and four others real mailboxes, and one an
# address outside, which Postfix refuses to relay.
mail_majlis_people
sql "UPDATE person SET email = 'someone@nowhere.example' WHERE code = 'E0003'"

expect 0 "the president convokes the second sitting" m event meeting 5 convoke --as E0001
expect 0 "the tick invites and sends" m run
has "$T/out" "failed" && ok "it says what it sent" || not_ok "counts"
check "an invitation in elu1's mailbox" mbox_wait "$MAILDIR_elu1" 1 20
check "and in elu2's" mbox_wait "$MAILDIR_elu2" 1 20

# Read it as the invitee's phone would.
read_mail() {
	$PY - "$1" "$2" "$T/var/majlis.db" <<'PY'
import email, email.policy, glob, icalendar, os, sqlite3, sys
box, n, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(glob.glob(os.path.join(box, "new", "*")) +
               glob.glob(os.path.join(box, "cur", "*")), key=os.path.getmtime)
raw = open(files[n - 1], "rb").read()
m = email.message_from_bytes(raw, policy=email.policy.default)
out = {}
out["defects"] = sum(len(p.defects) for p in m.walk()) + len(m.defects)
for h in ("Subject", "From", "To", "Reply-To", "Message-ID", "Return-Path",
          "Auto-Submitted", "Disposition-Notification-To", "Content-Language"):
    # (an address header Python does not know: folding space kept)
    out[h] = str(m[h]).strip() if m[h] is not None else ""
types = [p.get_content_type() for p in m.walk()]
out["types"] = " ".join(types)
cal = [p for p in m.walk() if p.get_content_type() == "text/calendar"][0]
c = icalendar.Calendar.from_ical(cal.get_content())
ev = list(c.walk("VEVENT"))[0]
out["method"] = str(c["METHOD"])
out["uid"] = str(ev["UID"])
out["sequence"] = str(ev["SEQUENCE"])
out["dtstart"] = ev.decoded("DTSTART").isoformat()
out["tzid"] = ev["DTSTART"].params.get("TZID", "")
out["organizer"] = str(ev["ORGANIZER"])
out["attendee"] = str(ev["ATTENDEE"])
out["rsvp"] = ev["ATTENDEE"].params.get("RSVP", "")
out["alarms"] = str(len(list(ev.walk("VALARM"))))
out["vtimezone"] = str(len(list(c.walk("VTIMEZONE"))))
pdf = [p for p in m.walk() if p.get_content_type() == "application/pdf"]
out["pdf"] = pdf[0].get_content()[:5].decode() if pdf else ""
out["pdfname"] = pdf[0].get_filename() if pdf else ""
con = sqlite3.connect(db)
t = con.execute("SELECT m.title_fr, m.title_ar, m.starts_at FROM meeting m WHERE id = 5").fetchone()
out["title_fr"], out["title_ar"], out["starts_at"] = t
for k, v in out.items():
    print(f"{k}\t{v}")
PY
}
field() { awk -F '\t' -v k="$1" '$1 == k { sub(/^[^\t]*\t/, ""); print; exit }' "$T/mail1"; }
read_mail "$MAILDIR_elu1" 1 >"$T/mail1" 2>"$T/err"
check "it parses without defects" test "$(field defects)" = 0
check "the Arabic subject decodes exactly (Arabic first for elu1)" \
	test "$(field Subject)" = "استدعاء: $(field title_ar) — Convocation : $(field title_fr)"
check "from the council, named in Arabic" test "$(field From)" = "مجلس جماعة الدار البيضاء <conseil@$MAIL_DOMAIN>"
check "to the president, named in Arabic" sh -c "grep -q '^To	السيدة .* <elu1@$MAIL_DOMAIN>' '$T/mail1' || grep -q '^To	السيد .* <elu1@$MAIL_DOMAIN>' '$T/mail1'"
token=$(field Message-ID | sed -n 's/^<inv\.\([a-z2-7]*\)@.*/\1/p')
check "a token in the Message-ID" test "${#token}" -eq 20
check "the same token in Reply-To" sh -c "field() { :; }; grep -q '^Reply-To	.*<conseil+t.$token@$MAIL_DOMAIN>' '$T/mail1'"
check "and as envelope sender" test "$(field Return-Path)" = "<conseil+t.$token@$MAIL_DOMAIN>"
check "and as the ORGANIZER" test "$(field organizer)" = "mailto:conseil+t.$token@$MAIL_DOMAIN"
check "the token is stored hashed only" test "$(sql "SELECT count(*) FROM token WHERE hash = '$token'")" -eq 0
check "auto-generated" test "$(field Auto-Submitted)" = auto-generated
check "a read receipt asked for" test "$(field Disposition-Notification-To)" = "conseil+t.$token@$MAIL_DOMAIN"
check "in Arabic" test "$(field Content-Language)" = ar
check "text, HTML, calendar, PDF, ics" test "$(field types)" = "multipart/mixed multipart/alternative text/plain text/html text/calendar application/pdf application/ics"
check "a REQUEST" test "$(field method)" = REQUEST
check "for the meeting" test "$(field uid)" = "meeting-5@$MAIL_DOMAIN"
check "sequence 0" test "$(field sequence)" = 0
check "in Casablanca's time, with its VTIMEZONE" sh -c "test '$(field tzid)' = Africa/Casablanca && test '$(field vtimezone)' = 1"
check "at the meeting's hour" $PY -c "
import datetime, sys
start = datetime.datetime.fromisoformat('$(field dtstart)')
utc = datetime.datetime.fromisoformat('$(field starts_at)'.replace('Z', '+00:00'))
sys.exit(0 if start == utc else 1)"
check "the invitee, asked to answer" sh -c "test '$(field attendee)' = 'mailto:elu1@$MAIL_DOMAIN' && test '$(field rsvp)' = TRUE"
check "two reminders" test "$(field alarms)" = 2
check "the convocation's PDF" sh -c "test '$(field pdf)' = '%PDF-' && test -n '$(field pdfname)'"
read_mail "$MAILDIR_elu2" 1 >"$T/mail1" 2>"$T/err"
check "French first for elu2" sh -c "grep -q '^Subject	Convocation : ' '$T/mail1'"

check "the outside address: failed, with Postfix's words" \
	test "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'someone@nowhere.example' AND state = 'failed' AND last_error LIKE '%Relay access denied%'")" -eq 1
check "the others sent" test "$(sql "SELECT count(*) FROM outbox WHERE object_kind = 'invitation' AND state = 'sent' AND recipient LIKE '%@$MAIL_DOMAIN' AND created_at >= '2026-11-29'")" -ge 140

# A change of date: an update with SEQUENCE 1, the same UID.
NOW=2026-11-29T11:00
expect 0 "the sitting moves" m event meeting 5 reschedule --as E0001 --set starts_at=2027-02-05T10:00 --set ends_at=2027-02-05T15:00
expect 0 "tick" m run
check "a second mail for elu1" mbox_wait "$MAILDIR_elu1" 2 20
read_mail "$MAILDIR_elu1" 2 >"$T/mail1" 2>"$T/err"
check "an update: SEQUENCE 1, same UID" sh -c "test '$(field sequence)' = 1 && test '$(field uid)' = 'meeting-5@$MAIL_DOMAIN' && test '$(field method)' = REQUEST"
check "at the new time" $PY -c "
import datetime, sys
start = datetime.datetime.fromisoformat('$(field dtstart)')
sys.exit(0 if start.isoformat().startswith('2027-02-05T10:00') else 1)"

# The server goes away: nothing is lost, it is tried again.
mail_stop 2>/dev/null
NOW=2026-11-29T12:00
expect 0 "the meeting is cancelled" m event meeting 5 cancel --as E0001
expect 0 "tick with the server down" m run
check "the cancellations are deferred, not lost" test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'cancel' AND state = 'queued' AND attempts = 1 AND last_error LIKE '%cannot connect%'")" -ge 140
mail_start
mail_majlis_conf "$SUBMISSION_PORT" starttls
NOW=2026-11-29T12:02
expect 0 "a later tick" m send
check "sent once the server is back" test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'cancel' AND state = 'queued'")" -eq 0
check "a CANCEL in elu1's mailbox" mbox_wait "$MAILDIR_elu1" 3 20
read_mail "$MAILDIR_elu1" 3 >"$T/mail1" 2>"$T/err"
check "method CANCEL" test "$(field method)" = CANCEL

# A server that drops the connection in the middle of DATA, then one that
# never answers: deferred with the reason, nothing lost.
$PY - "$T/fake.port" drop >"$T/fake.log" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0)); s.listen(5)
s.settimeout(60)  # gone by itself if the test is
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    f = c.makefile("rb")
    c.sendall(b"220 fake ESMTP\r\n")
    while True:
        line = f.readline()
        if not line:
            break
        cmd = line[:4].upper()
        if cmd in (b"EHLO", b"HELO"):
            c.sendall(b"250 fake\r\n")
        elif cmd == b"DATA":
            c.sendall(b"354 go on\r\n")
            f.readline(); f.readline()
            f.close(); c.shutdown(socket.SHUT_RDWR); c.close()
            break
        elif cmd == b"QUIT":
            c.sendall(b"221 bye\r\n"); c.close(); break
        else:
            c.sendall(b"250 ok\r\n")
PY
fake=$!
i=0
while [ ! -s "$T/fake.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
mail_majlis_conf "$(cat "$T/fake.port")" none 3
sql "UPDATE person SET phone = NULL"
NOW=2026-11-29T13:00
expect 0 "a dossier request, to a server that drops DATA" m event dossier DOS-2026-0012 submit --as F001
expect 0 "tick" m run
check "deferred, with why" test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'request' AND state = 'queued' AND attempts = 1 AND last_error LIKE '%end of DATA%'")" -eq 1
check "the operator is told" grep -q 'the mail server cannot be used' "$T/err"
kill $fake 2>/dev/null
$PY -c "
import socket, time
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(5)
open('$T/mute.port', 'w').write(str(s.getsockname()[1]))
c, _ = s.accept(); time.sleep(30)" >"$T/mute.log" 2>&1 &
mute=$!
i=0
while [ ! -s "$T/mute.port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
mail_majlis_conf "$(cat "$T/mute.port")" none 2
NOW=2026-11-29T13:05
expect 0 "a server that never answers" m send
check "deferred again, after the timeout" test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'request' AND state = 'queued' AND attempts = 2")" -ge 1
kill $mute 2>/dev/null

# Killed between Postfix's 250 and the store: sent again at the next
# tick, under the same Message-ID.
mail_majlis_conf "$SUBMISSION_PORT" starttls
NOW=2026-11-29T14:00
MAJLIS_FAULT=outbox-sent:1 "$MAJLIS" -C "$T/var" --now "$NOW" send >/dev/null 2>&1
check "killed after the server took the first" test $? -eq 137
expect 0 "the next send" m send
check "nothing left queued" test "$(sql "SELECT count(*) FROM outbox WHERE state = 'queued'")" -eq 0
sleep 2
check "the message came twice, with one Message-ID" $PY - "$MAILDIR_catchall" "$MAILDIR_elu1" "$MAILDIR_elu2" <<'PY'
import email, email.policy, glob, os, sys, collections
ids = collections.Counter()
for box in sys.argv[1:]:
    for f in glob.glob(os.path.join(box, "new", "*")) + glob.glob(os.path.join(box, "cur", "*")):
        m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
        if str(m["Message-ID"]).startswith("<req."):
            ids[str(m["Message-ID"])] += 1
sys.exit(0 if ids and max(ids.values()) == 2 and len(ids) == 1 else 1)
PY

# A wrong certificate: refused, not sent.
sed -i "s|^ca_file = .*|ca_file = /etc/ssl/certs/ca-certificates.crt|" "$T/var/majlis.conf"
sql "UPDATE outbox SET state = 'queued', attempts = 0, next_at = '2000-01-01T00:00:00Z' WHERE id = (SELECT max(id) FROM outbox)"
expect 0 "send with a CA that does not know the server" m send
check "not sent: deferred, the certificate is not trusted" test "$(sql "SELECT count(*) FROM outbox WHERE id = (SELECT max(id) FROM outbox) AND state = 'queued' AND attempts = 1 AND last_error LIKE 'TLS: the certificate%not trusted%'")" -eq 1
check "and said" grep -q 'cannot be used (TLS: the certificate' "$T/err"

# Implicit TLS (port 465's way), pinned by the certificate's SHA-256.
mail_majlis_conf "$SUBMISSIONS_PORT" tls
fp=$(openssl x509 -in "$MAIL_CA_CERT" -noout -fingerprint -sha256 2>/dev/null | sed 's/.*=//; s/://g')
srv=$(echo | openssl s_client -connect "127.0.0.1:$SUBMISSIONS_PORT" 2>/dev/null | openssl x509 -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
sed -i "s|^ca_file = .*|fingerprint = sha256:$srv|" "$T/var/majlis.conf"
before=$(mbox_count "$MAILDIR_elu1")
sql "UPDATE outbox SET state = 'queued', attempts = 0, next_at = '2000-01-01T00:00:00Z', recipient = 'elu1@$MAIL_DOMAIN' WHERE id = (SELECT max(id) FROM outbox)"
expect 0 "send over implicit TLS, the server's certificate pinned" m send
check "sent" test "$(sql "SELECT state FROM outbox WHERE id = (SELECT max(id) FROM outbox)")" = sent
check "and delivered" mbox_wait "$MAILDIR_elu1" $((before + 1)) 20
sed -i "s|^fingerprint = .*|fingerprint = sha256:$fp|" "$T/var/majlis.conf"
sql "UPDATE outbox SET state = 'queued', attempts = 0, next_at = '2000-01-01T00:00:00Z' WHERE id = (SELECT max(id) FROM outbox)"
if [ "$fp" != "$srv" ]; then
	expect 0 "send with another certificate's fingerprint" m send
	check "not sent" test "$(sql "SELECT state FROM outbox WHERE id = (SELECT max(id) FROM outbox)")" != sent
fi
done_testing
