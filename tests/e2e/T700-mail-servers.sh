#!/bin/sh
# The test mail servers (tests/mail/, tests/e2e/mail.sh): real Dovecot and
# Postfix on loopback, proved with standard tools only (swaks, Python's
# smtplib and imaplib) before the engine talks to them. They start and
# stop within the test, deliver for the test domains, and let nothing out.
. tests/e2e/lib.sh
. tests/e2e/mail.sh

if ! command -v swaks >/dev/null 2>&1; then
	not_ok "needs swaks (scripts/setup.sh check installs it)"
	done_testing
fi

# What the servers must not change: the system's own mail set-up.
sys_state() {
	find /etc/postfix /etc/dovecot /var/spool/postfix /var/lib/postfix \
		/var/lib/dovecot -printf '%p %m %u %g %s %T@\n' 2>/dev/null | sort
}
sys_state >"$T/sys.before"

# seconds FROM TO: the time between two `date +%s%N`, in seconds.
seconds() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}

# swx CODE LABEL ARGS...: swaks against the servers, its transcript in
# $T/out; ok if it exits with CODE (23 MAIL refused, 24 no RCPT
# accepted, 28 AUTH failed).
swx() {
	want=$1
	label=$2
	shift 2
	swaks --server "$SMTP_HOST" --helo client.test --timeout 10 "$@" \
		>"$T/out" 2>&1 </dev/null
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$label"
	else
		not_ok "$label (swaks exit $got, wanted $want)"
		sed 's/^/#   /' "$T/out" | tail -25
	fi
}

# pycheck LABEL <<EOF: a Python script on stdin (the servers' variables
# in its environment); ok if it exits 0, else its output is shown.
pycheck() {
	"$MAIL_PY" - >"$T/py.out" 2>&1
	if [ $? -eq 0 ]; then
		ok "$1"
	else
		not_ok "$1"
		sed 's/^/#   /' "$T/py.out" | tail -25
	fi
}

D=casablanca.test
t0=$(date +%s%N)
mail_start
t1=$(date +%s%N)
ok "mail servers start"
echo "# mail servers up in $(seconds "$t0" "$t1") s"

ports="$SMTP_PORT $SUBMISSION_PORT $SUBMISSIONS_PORT $IMAP_PORT $IMAPS_PORT $LMTP_PORT $AUTH_PORT"
ports_ok() {
	[ "$(echo $ports | tr ' ' '\n' | sort -u | wc -l)" -eq 7 ] || return 1
	for p in $ports; do
		[ "$p" -ge 20000 ] && [ "$p" -le 32767 ] || return 1
	done
}
check "seven distinct ports on 127.0.0.1, none of the standard ones" ports_ok
check "env names the domain, the users and the CA" \
	test "$MAIL_DOMAIN" = $D -a -f "$MAIL_CA_CERT" -a -d "$MAILDIR_conseil" \
	-a "$PASSWORD_elu1" = elu1-secret

# ---- delivery on the plain SMTP port ------------------------------------------

swx 0 "SMTP: mail to elu1 is accepted" --port "$SMTP_PORT" \
	--from staff1@$D --to elu1@$D --header "Subject: T700 plain"
check "it lands in elu1's Maildir" mail_wait elu1 1
check "with its subject" test "$(mail_header elu1 -1 Subject)" = "T700 plain"

swx 0 "SMTP: mail to conseil+t.XYZ is accepted" --port "$SMTP_PORT" \
	--from elu1@$D --to conseil+t.XYZ@$D --header "Subject: T700 token"
check "it lands in conseil's INBOX" mail_wait conseil 1
check "Delivered-To keeps the token" \
	test "$(mail_header conseil -1 Delivered-To)" = "conseil+t.XYZ@$D"

swx 0 "SMTP: mail to an unknown local part is accepted" --port "$SMTP_PORT" \
	--from elu1@$D --to nobody.here@$D --header "Subject: T700 catch-all"
check "it lands in catchall" mail_wait catchall 1
check "which can tell whom it was for" \
	grep -q "for <nobody.here@$D>" "$(mail_path catchall -1)"

swx 0 "SMTP: mail to the other test domain is accepted" --port "$SMTP_PORT" \
	--from elu1@$D --to citoyen@example.test --header "Subject: T700 outside"
check "it lands in outside" mail_wait outside 1

swx 24 "SMTP: mail to another domain is refused" --port "$SMTP_PORT" \
	--from elu1@$D --to someone@gmail.com
check "as relaying" has "$T/out" "Relay access denied"
swx 28 "SMTP: the delivery port offers no AUTH" --port "$SMTP_PORT" \
	--from elu1@$D --to elu2@$D --auth PLAIN \
	--auth-user elu1 --auth-password "$PASSWORD_elu1"

# ---- submission ------------------------------------------------------------------

pycheck "submission without STARTTLS: no AUTH offered, AUTH and MAIL refused" <<'EOF'
import base64, os, smtplib
s = smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SUBMISSION_PORT"]), timeout=10)
s.ehlo("client.test")
assert s.has_extn("starttls"), "no STARTTLS"
assert not s.has_extn("auth"), "AUTH offered in clear: " + s.esmtp_features["auth"]
plain = base64.b64encode(b"\0elu1\0" + os.environ["PASSWORD_elu1"].encode()).decode()
code, text = s.docmd("AUTH", "PLAIN " + plain)
assert code >= 500, "AUTH in clear answered %d %s" % (code, text)
code, text = s.docmd("MAIL", "FROM:<elu1@casablanca.test>")
assert code == 530, "MAIL in clear answered %d %s" % (code, text)
s.quit()
EOF

swx 0 "submission: STARTTLS + AUTH PLAIN sends" --port "$SUBMISSION_PORT" \
	--tls --auth PLAIN --auth-user elu1 --auth-password "$PASSWORD_elu1" \
	--from elu1@$D --to elu2@$D --header "Subject: T700 submission plain"
check "to elu2" mail_wait elu2 1
swx 0 "submission: STARTTLS + AUTH LOGIN sends" --port "$SUBMISSION_PORT" \
	--tls --auth LOGIN --auth-user staff2 --auth-password "$PASSWORD_staff2" \
	--from staff2@$D --to elu3@$D --header "Subject: T700 submission login"
check "to elu3" mail_wait elu3 1

pycheck "submission: the certificate verifies with MAIL_CA_CERT (smtplib)" <<'EOF'
import os, smtplib, ssl
ctx = ssl.create_default_context(cafile=os.environ["MAIL_CA_CERT"])
with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SUBMISSION_PORT"]), timeout=10) as s:
    s.starttls(context=ctx)
    s.login("conseil", os.environ["PASSWORD_conseil"])
    s.sendmail("conseil+t.ABC@casablanca.test", ["elu4@casablanca.test"],
               b"From: conseil@casablanca.test\r\nTo: elu4@casablanca.test\r\n"
               b"Subject: T700 verified\r\n\r\nHello.\r\n")
with smtplib.SMTP_SSL(os.environ["SMTP_HOST"], int(os.environ["SUBMISSIONS_PORT"]),
                      context=ctx, timeout=10) as s:
    s.login("conseil", os.environ["PASSWORD_conseil"])
    s.sendmail("conseil@casablanca.test", ["elu4@casablanca.test"],
               b"Subject: T700 submissions\r\n\r\nHello.\r\n")
EOF
check "elu4 has both (submission and submissions)" mail_wait elu4 2
check "the envelope sender keeps the token" \
	test "$(mail_header elu4 1 Return-Path)" = "<conseil+t.ABC@$D>"

swx 24 "submission: STARTTLS without AUTH may not relay" --port "$SUBMISSION_PORT" \
	--tls --from elu1@$D --to someone@gmail.com
swx 24 "submission: STARTTLS without AUTH may not even deliver" \
	--port "$SUBMISSION_PORT" --tls --from elu1@$D --to elu5@$D
check "access denied" has "$T/out" "Access denied"
swx 28 "submission: a wrong password is refused" --port "$SUBMISSION_PORT" \
	--tls --auth PLAIN --auth-user elu1 --auth-password wrong \
	--from elu1@$D --to elu5@$D
check "with 535" has "$T/out" "535"
swx 28 "submission: an unknown user is refused" --port "$SUBMISSION_PORT" \
	--tls --auth LOGIN --auth-user mallory --auth-password x \
	--from elu1@$D --to elu5@$D
check "elu5 got nothing" test "$(mail_count elu5)" -eq 0

swx 24 "submission: even with AUTH, another domain is refused" \
	--port "$SUBMISSION_PORT" --tls --auth PLAIN --auth-user staff1 \
	--auth-password "$PASSWORD_staff1" --from staff1@$D --to someone@gmail.com
check "as relaying" has "$T/out" "Relay access denied"

# A dead address elsewhere: accepted, then a real bounce (DSN) comes back
# to the envelope sender, token and all.
swx 0 "SMTP: mail to the bounce domain is accepted" --port "$SMTP_PORT" \
	--from staff1+t.B0UNCE@$D --to gone@bounce.test --header "Subject: T700 dead"
check "it bounces back to the sender" mail_wait staff1 1
check "as a delivery status notification" \
	has "$(mail_path staff1 -1)" "report-type=delivery-status"
check "to the sender's plus-address" \
	test "$(mail_header staff1 -1 Delivered-To)" = "staff1+t.B0UNCE@$D"
check "the log shows the bounce" \
	grep -q 'to=<gone@bounce.test>, relay=bounce-test.*status=bounced' \
	"$MAIL_LOG_DIR/postfix.log"
check "and nothing was sent anywhere but to Dovecot" \
	test -z "$(grep 'status=sent' "$MAIL_LOG_DIR/postfix.log" |
		grep -v "relay=127.0.0.1\[127.0.0.1\]:$LMTP_PORT,")"

# ---- LMTP and IMAP ------------------------------------------------------------------

pycheck "LMTP delivers to a known user and refuses an unknown one" <<'EOF'
import os, smtplib
with smtplib.LMTP(os.environ["SMTP_HOST"], int(os.environ["LMTP_PORT"]), timeout=10) as s:
    refused = s.sendmail("elu1@casablanca.test",
                         ["staff2@casablanca.test", "nobody@casablanca.test"],
                         b"Subject: T700 lmtp\r\n\r\nHello.\r\n")
assert list(refused) == ["nobody@casablanca.test"], refused
EOF
check "staff2 has it" mail_wait staff2 1

# mail_send, and reading a MIME message back: an Arabic subject (RFC 2047)
# and an attachment in base64.
subject=$(printf '%s' "جلسة" | base64)
attachment=$(printf 'PDF bytes\n' | base64)
printf '%s\r\n' "From: elu2@$D" "To: staff2+t.S3ND@$D" \
	"Subject: =?UTF-8?B?$subject?=" "MIME-Version: 1.0" \
	'Content-Type: multipart/mixed; boundary="b"' "" "--b" \
	"Content-Type: text/plain; charset=utf-8" "" "Bonjour." "--b" \
	"Content-Type: application/pdf; name=pv.pdf" \
	"Content-Disposition: attachment; filename=pv.pdf" \
	"Content-Transfer-Encoding: base64" "" "$attachment" "--b--" >"$T/msg.eml"
check "mail_send hands a message to the SMTP port" \
	mail_send elu2@$D staff2+t.S3ND@$D "$T/msg.eml"
check "it arrives" mail_wait staff2 2
check "mail_header decodes the Arabic subject" \
	test "$(mail_header staff2 -1 Subject)" = "جلسة"
mail_parts staff2 >"$T/parts"
check "mail_parts lists the text and the PDF" \
	has "$T/parts" "$(printf '2\tapplication/pdf\t-\tpv.pdf\t10')"
check "mail_part gives the attachment's bytes" \
	test "$(mail_part staff2 -1 2)" = "PDF bytes"

pycheck "IMAP: STARTTLS (verified), login, fetch elu1's message" <<'EOF'
import imaplib, os, ssl
ctx = ssl.create_default_context(cafile=os.environ["MAIL_CA_CERT"])
m = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
m.starttls(ssl_context=ctx)
m.login("elu1", os.environ["PASSWORD_elu1"])
typ, data = m.select("INBOX", readonly=True)
assert typ == "OK" and int(data[0]) == 1, (typ, data)
typ, data = m.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
assert typ == "OK" and b"T700 plain" in data[0][1], data
m.logout()
EOF

pycheck "IMAP: plain login on loopback, IMAPS, and the Maildir as IMAP sees it" <<'EOF'
import imaplib, os, ssl
m = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
m.login("conseil@casablanca.test", os.environ["PASSWORD_conseil"])
typ, data = m.select("INBOX")
assert int(data[0]) == 1, data
typ, data = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (DELIVERED-TO)])")
assert b"conseil+t.XYZ@casablanca.test" in data[0][1], data
m.logout()
ctx = ssl.create_default_context(cafile=os.environ["MAIL_CA_CERT"])
m = imaplib.IMAP4_SSL(os.environ["IMAP_HOST"], int(os.environ["IMAPS_PORT"]),
                      ssl_context=ctx, timeout=10)
m.login("catchall", os.environ["PASSWORD_catchall"])
typ, data = m.select("INBOX")
assert int(data[0]) == 1, data
m.logout()
EOF

pycheck "IMAP: a wrong password is refused" <<'EOF'
import imaplib, os
m = imaplib.IMAP4(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), timeout=10)
try:
    m.login("elu1", "wrong")
except imaplib.IMAP4.error:
    pass
else:
    raise SystemExit("logged in with a wrong password")
EOF

# ---- the Maildir helpers --------------------------------------------------------

mail_list elu4 >"$T/list"
check "mail_list lists what arrived" has "$T/list" "T700 submissions"
check "mail_find finds a message by a field" \
	test "$(mail_find elu4 Subject verified)" = 1
check "mail_body gives its text" test "$(mail_body elu4 1)" = "Hello."
check "mail_count counts cur/ too (where IMAP moved conseil's)" \
	test "$(mail_count conseil)" -eq 1 -a -z "$(ls "$MAILDIR_conseil/new")"
check "mail_wait fails when nothing comes" \
	sh -c '! "$1" "$2" wait "$3" 1 -t 0.2 2>/dev/null' sh \
	"$MAIL_PY" "$MAIL_TOOLS/maildir.py" "$(mail_dir elu5)"

# ---- stopping -------------------------------------------------------------------------

t2=$(date +%s%N)
check "mail servers stop" mail_stop
t3=$(date +%s%N)
echo "# mail servers stopped in $(seconds "$t2" "$t3") s"
pycheck "their ports are free" <<EOF
import socket
for p in "$ports".split():
    try:
        socket.create_connection(("127.0.0.1", int(p)), timeout=1).close()
    except OSError:
        continue
    raise SystemExit("port %s still accepts connections" % p)
EOF
left() {
	for p in /proc/[0-9]*; do
		case $(readlink "$p/cwd" 2>/dev/null) in
		"$T"/mail/*) echo "${p#/proc/}" ;;
		esac
	done
}
check "no process is left in their folders" test -z "$(left)"
check "stopping again does nothing" mail_stop

# A server that went away comes back, with its mail and its ports.
before="$ports"
mail_start
ok "mail servers start again in the same folder"
check "on the same ports" test "$SMTP_PORT $SUBMISSION_PORT $SUBMISSIONS_PORT $IMAP_PORT $IMAPS_PORT $LMTP_PORT $AUTH_PORT" = "$before"
check "with the mail they had" test "$(mail_count elu1)" -eq 1
swx 0 "SMTP: mail to elu1 is accepted again" --port "$SMTP_PORT" \
	--from staff1@$D --to elu1@$D --header "Subject: T700 again"
check "and delivered" mail_wait elu1 2
check "mail servers stop again" mail_stop
check "and nothing is left" test -z "$(left)"

# Postfix's own check of the queue start.sh laid out by hand: nothing to
# create, nothing to warn about.
queue_state() {
	find "$T/mail/postfix/queue" "$T/mail/postfix/data" \
		-printf '%p %m %u %g\n' | grep -v '/pid/\|quick-start' | sort
}
queue_state >"$T/queue.before"
warnings=$(grep -c 'warning\|fatal\|error' "$MAIL_LOG_DIR/postfix.log")
check "postfix check passes" postfix -c "$T/mail/postfix/conf" check
queue_state >"$T/queue.after"
check "and finds the queue as it should be" cmp -s "$T/queue.before" "$T/queue.after"
check "without a warning" \
	test "$(grep -c 'warning\|fatal\|error' "$MAIL_LOG_DIR/postfix.log")" -eq "$warnings"

sys_state >"$T/sys.after"
check "the system's /etc/postfix, /etc/dovecot and spools are untouched" \
	cmp -s "$T/sys.before" "$T/sys.after"
system_daemons() {
	for p in /proc/[0-9]*; do
		case $(readlink "$p/cwd" 2>/dev/null) in
		/var/spool/postfix | /run/dovecot) echo "${p#/proc/}" ;;
		esac
	done
}
check "no system instance of Postfix or Dovecot runs" test -z "$(system_daemons)"
done_testing
