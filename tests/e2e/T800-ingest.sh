#!/bin/sh
# Staff answer by replying: the corpus of tests/corpus/intake, each
# message given the reply token of a real invitation or request of the
# demo and the address of the person it was sent to, is ingested from
# the instance's Maildir; what each does is what expected.tsv says
# (applied, rejected, quarantined, ignored, review), and its effect is in
# the store: answers to invitations and dossiers through their
# mailflows, a receipt acknowledging, a bounce marking an address, a
# contact proposed, forgeries changing nothing. Seen again, every
# message is a duplicate and nothing changes.
. tests/e2e/lib.sh
PY=/usr/bin/python3

NOW=2026-12-03T10:00
expect 0 "init --demo" m init --demo
expect 0 "the first tick sends the invitations and requests" m run

C=tests/corpus/intake
IN=$T/var/mail/inbox/new
# Each file gets the token of a mail of its own and the address it went
# to, but for the forgeries (scripts/mail-replies.py).
$PY scripts/mail-replies.py "$T/var/majlis.db" "$C" "$IN" "$T/plan"
check "the corpus is in the inbox" test "$(ls "$IN" | wc -l)" -eq 28

# Our server's Authentication-Results are trusted.
printf '\n[intake]\nauthserv = mx.casablanca.ma\n' >>"$T/var/majlis.conf"
dump >"$T/before"
expect 0 "ingest --json" m ingest --json
cp "$T/out" "$T/report"
while IFS="$(printf '\t')" read -r f want obj email; do
	got=$(json "[r['action'] for r in L if r['source'] == 'maildir new/$f'][0]" 2>/dev/null)
	if [ "$got" = "$want" ]; then
		ok "$f: $want"
	else
		not_ok "$f: $got, wanted $want ($(json "[r['reason'] for r in L if r['source'] == 'maildir new/$f'][0]" 2>/dev/null))"
	fi
done <"$T/plan"

# The effects, in the store.
state_of() { # FILE: the state of the object its plan names
	obj=$(awk -F '\t' -v f="$1" '$1 == f { print $3 }' "$T/plan")
	case $obj in
	DOS-*) sql "SELECT state FROM dossier WHERE ref = '$obj'" ;;
	*) sql "SELECT state FROM invitation WHERE id = $obj" ;;
	esac
}
check "Gmail in French: accepted" test "$(state_of gmail-fr-accept.eml)" = accepted
check "Gmail in Arabic: declined" test "$(state_of gmail-ar-decline.eml)" = declined
check "Outlook in windows-1252: tentative" test "$(state_of outlook-fr-tentative.eml)" = tentative
check "Thunderbird below the quote: accepted" test "$(state_of thunderbird-bottom-accept.eml)" = accepted
check "Outlook in windows-1256: the dossier approved" test "$(state_of outlook-ar-approve.eml)" = approved
check "iPhone: the dossier returned" test "$(state_of applemail-fr-return.eml)" = returned
check "with the comment" test "$(sql "SELECT comment FROM dossier WHERE ref = '$(awk -F '\t' '$1 == "applemail-fr-return.eml" { print $3 }' "$T/plan")'")" = "il manque l'annexe financière."
check "Google Calendar: accepted" test "$(state_of imip-google-accept.eml)" = accepted
check "Outlook's calendar, token in ORGANIZER only: declined" test "$(state_of imip-outlook-decline-organizer.eml)" = declined
check "with its COMMENT" sh -c "test \"\$(sqlite3 '$T/var/majlis.db' \"SELECT comment FROM invitation WHERE id = $(awk -F '\t' '$1 == "imip-outlook-decline-organizer.eml" { print $3 }' "$T/plan")\")\" = 'Je serai en déplacement.'"
check "a COUNTER changes nothing" test "$(state_of imip-counter.eml)" = sent
expect 0 "a tick, for the notifications the answers raised" m run
check "but the president and the DGS are told" test "$(sql "SELECT count(*) FROM notification WHERE message = 'invitation-counter'")" -ge 2
check "ambiguous, only in the quote, unknown, an unvouched form: kept for review with their bytes" test "$(sql "SELECT count(*) FROM inmail m JOIN inmail_raw r ON r.id = m.id WHERE m.action = 'review'")" -eq 4
check "ambiguous changes nothing" test "$(state_of android-ambiguous.eml)" = sent
ids() { awk -F '\t' -v re="$1" '$1 ~ re { printf "%s%s", s, $3; s = "," }' "$T/plan"; }
check "forgeries change nothing" test "$(sql "SELECT group_concat(state) FROM invitation WHERE id IN ($(ids '^forgery'))")" = "sent,sent"
check "auto-replies and lists change nothing" test "$(sql "SELECT group_concat(state) FROM invitation WHERE id IN ($(ids '^(autoreply|list)'))")" = "sent,sent,sent"
check "the receipt acknowledged the invitation" test "$(sql "SELECT count(*) FROM notification WHERE object_kind = 'invitation' AND object_id = $(awk -F '\t' '$1 == "mdn-thunderbird.eml" { print $3 }' "$T/plan") AND acknowledged_at IS NOT NULL")" -ge 1
check "the bounce marked the address, 5.1.1" test "$(sql "SELECT email_failed FROM person WHERE email = 'mehdi.benjelloun@elus.casablanca.ma'")" = 5.1.1
check "and told the DGS" test "$(sql "SELECT count(*) FROM notification WHERE message = 'data-error-bounce'")" -ge 1
check "the bounce row names the message sent" test "$(sql "SELECT count(*) FROM bounce WHERE address = 'mehdi.benjelloun@elus.casablanca.ma' AND outbox_id IS NOT NULL AND status = '5.1.1'")" -eq 1
check "the contact card proposed a guest" test "$(sql "SELECT name || ' ' || state FROM contact")" = "Omar Lahlou proposed"
ref=$(awk -F '\t' '$1 == "applemail-fr-return.eml" { print $3 }' "$T/plan")
check "the file that came with the answer is in the archive, with its dossier" test "$(sql "SELECT count(*) FROM document d JOIN dossier x ON x.id = d.dossier_id WHERE x.ref = '$ref' AND d.kind = 'attachment' AND d.title_fr LIKE '%Note de service.pdf'")" -eq 1
expect 0 "and reads back as it came" m archive get "$(sql "SELECT d.register_no FROM document d JOIN dossier x ON x.id = d.dossier_id WHERE x.ref = '$ref' AND d.kind = 'attachment'")" -o "$T/pj.pdf"
check "byte for byte" sh -c "head -c 8 '$T/pj.pdf' | grep -q '%PDF-1.4'"
check "the petition recorded, in Sidi Bernoussi, 1250 signatures" test "$(sql "SELECT p.kind || ' ' || b.code || ' ' || p.signatures || ' ' || p.state FROM petition p JOIN body b ON b.id = p.body_id WHERE p.title_fr LIKE 'Éclairage public du boulevard Al Qods%' AND p.lead_name = 'Karim Alami'")" = "citizens SIDI-BERNOUSSI 1250 received"
check "its sender told its reference" test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'form-answer' AND recipient = 'karim.alami.casa@gmail.com' AND subject LIKE 'Enregistré%'")" -eq 1
check "the Arabic petition's sender told what to fix, in Arabic first" test "$(sql "SELECT count(*) FROM outbox WHERE kind = 'form-answer' AND recipient = 'jamiya.alhay@example.ma' AND subject LIKE 'استمارة غير مكتملة%'")" -eq 1
sql "SELECT writefile('$T/answer.eml', r.raw) FROM outbox o JOIN outbox_raw r ON r.id = o.id WHERE o.recipient = 'jamiya.alhay@example.ma'" >/dev/null
check "naming both: the signatures and the arrondissement" $PY -c "
import email, email.policy, sys
m = email.message_from_bytes(open('$T/answer.eml', 'rb').read(), policy=email.policy.default)
t = m.get_content()
sys.exit(0 if 'عدد التوقيعات' in t and 'المقاطعة' in t and 'Signatures' in t and 'Arrondissement' in t and m['Auto-Submitted'] == 'auto-replied' else 1)"
check "a form no server vouches for is not answered" test "$(sql "SELECT count(*) FROM outbox WHERE recipient = 'someone@example.org'")" -eq 0
check "the dossier recorded, for its owner" test "$(sql "SELECT d.kind || ' ' || p.code || ' ' || d.state FROM dossier d JOIN person p ON p.id = d.owner_id WHERE d.title_fr LIKE 'Permis de construire, école primaire Al Amal%'")" = "urbanisme E0012 created"
check "the hostile ones are in quarantine" test "$(ls "$T/var/mail/quarantine/new" | wc -l)" -eq 4
check "every message moved to cur/ as done" sh -c "test \"\$(ls '$IN' | wc -l)\" -eq 0 && test \"\$(ls '$T/var/mail/inbox/cur' | grep -c ':2,S\$')\" -eq 28"
check "each answer's token is used once" test "$(sql "SELECT count(*) FROM token WHERE used_at IS NOT NULL")" -eq 8
check "the audit names each message" test "$(sql "SELECT count(*) FROM audit WHERE action = 'ingest'")" -eq 28

# Exactly once: the same messages again change nothing.
for f in "$T"/var/mail/inbox/cur/*; do
	cp "$f" "$IN/again-$(basename "$f" | sed 's/:2,S$//')"
done
dump >"$T/before"
expect 0 "the same messages again" m ingest --json
check "duplicates all (the hostile ones quarantined again, once each)" \
	test "$(json "sum(1 for r in L if r['action'] == 'duplicate')")" -eq 28
dump >"$T/after"
check "the store is as it was" cmp -s "$T/before" "$T/after"

# majlis run reads the inbox first, and applies in the same tick.
mid=$(sql "SELECT o.message_id FROM outbox o JOIN invitation i ON i.id = o.object_id AND o.object_kind = 'invitation' WHERE o.kind = 'invitation' AND i.meeting_id = 4 AND i.state = 'sent' ORDER BY i.id DESC LIMIT 1")
inv=$(sql "SELECT object_id FROM outbox WHERE message_id = '$mid'")
email=$(sql "SELECT p.email FROM invitation i JOIN person p ON p.id = i.person_id WHERE i.id = $inv")
tok=$(echo "$mid" | sed 's/^inv\.\([a-z2-7]*\)@.*/\1/')
printf 'From: %s\nTo: conseil+t.%s@casablanca.ma\nSubject: Re: Convocation\nMessage-ID: <run-1@x.ma>\n\nنعم\n' "$email" "$tok" >"$IN/run.eml"
expect 0 "a tick with a reply waiting" m run
has "$T/out" "ingest: 1 message: 1 applied" && ok "the tick says so" || not_ok "tick line"
check "accepted in that tick" test "$(sql "SELECT state FROM invitation WHERE id = $inv")" = accepted
expect 0 "show inmail --state review" m show inmail --state review
check "lists what waits on a person" test "$(grep -c 'review' "$T/out")" -eq 4
done_testing
