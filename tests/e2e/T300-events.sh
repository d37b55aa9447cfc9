#!/bin/sh
# Staff actions through the mailflows with majlis event, their refusals,
# deadlines raised by later ticks, and the audit trail of it all.
. tests/e2e/lib.sh

expect 0 "init --demo" m init --demo
expect 0 "first tick" m run

# A vice-president may not convoke the council; the refusal is recorded.
dump >"$T/before"
expect 65 "a vice-president cannot convoke" m event meeting 5 convoke --as E0002
has "$T/err" "refused: person E0002 is not president of the organization" &&
	ok "the reason is given" || not_ok "refusal reason"
check "the meeting is still a draft" test "$(sql 'SELECT state FROM meeting WHERE id = 5')" = draft
check "the refusal is in the audit log" test "$(sql "SELECT count(*) FROM audit WHERE object_kind = 'meeting' AND object_id = 5 AND action = 'refused' AND actor = 'E0002'")" -eq 1
expect 65 "no such person" m event meeting 5 convoke --as nobody@nowhere
has "$T/err" "no person 'nobody@nowhere'" && ok "says so" || not_ok "no person"
expect 64 "no such event" m event meeting 5 launch --as E0001
has "$T/err" "a meeting has no event 'launch'" && ok "lists the events" || not_ok "no event"
expect 64 "no such field" m event meeting 5 hold --as E0001 --set colour=red
expect 65 "no such meeting" m event meeting 999 convoke --as E0001
expect 64 "no such kind" m event spaceship 1 launch

# The president convokes the second meeting.
expect 0 "the president convokes" m event meeting 5 convoke --as E0001 --note "signed today"
has "$T/out" "meeting #5: convoke applied (draft -> convoked)" && ok "reports the transition" || not_ok "applied"
check "its cause keeps the note" test "$(sql "SELECT count(*) FROM audit WHERE object_id = 5 AND object_kind = 'meeting' AND cause LIKE '%signed today'")" -eq 1
expect 0 "tick" m run
check "147 more invitations" test "$(sql "SELECT count(*) FROM invitation WHERE meeting_id = 5")" -eq 147

# Answers: only the invitee (or staff) for an invitation.
inv=$(sql "SELECT i.id FROM invitation i JOIN person p ON p.id = i.person_id WHERE i.meeting_id = 5 AND p.code = 'E0021'")
expect 65 "someone else cannot answer" m event invitation "$inv" decline --as E0022
expect 0 "the invitee accepts" m event invitation "$inv" accept --as E0021 --set "comment=Je serai là"
check "accepted, with the time of the answer" test "$(sql "SELECT state || '|' || answered_at FROM invitation WHERE id = $inv")" = "accepted|2026-11-29T08:00:00Z"
expect 0 "a dossier approved by its owner, by reference" m event dossier DOS-2026-0009 approve --as E0009
expect 0 "show dossier DOS-2026-0009 --json" m show dossier DOS-2026-0009 --json
check "approved" test "$(json "L[0]['state'] + '|' + L[0]['state_ar']")" = "approved|تمت الموافقة عليه"

# Two months later: reminders, expiries, late dossiers, late tasks.
NOW=2027-02-03T12:00
expect 0 "a tick two months later" m run --json
check "deadlines passed" test "$(json "sum(1 for r in L if r['step'] == 'deadline')")" -gt 100
check "invitations reminded" test "$(sql "SELECT count(*) FROM notification WHERE message = 'invitation-reminder'")" -gt 200
check "unanswered ones expired at the start" test "$(sql "SELECT count(*) FROM invitation WHERE meeting_id = 4 AND state = 'expired'")" -eq 147
check "the answered one did not" test "$(sql "SELECT state FROM invitation WHERE id = $inv")" = accepted
check "the meeting not recorded as held is flagged" test "$(sql "SELECT count(*) FROM notification WHERE message = 'meeting-not-recorded'")" -ge 1
expect 0 "the same tick again" m run --json
check "raises nothing new" test "$(json "sum(1 for r in L if r['step'] == 'deadline')")" -eq 0

expect 0 "audit meeting 5" m audit meeting 5 --json
check "the history of the meeting, oldest first" test "$(json "[r['action'] for r in L][:3]")" = "['create', 'refused', 'transition']"
check "each entry names its cause" test "$(json "all(r['cause'] for r in L)")" = True
expect 0 "audit of a span of time" m audit --since 2027-02-01 --json
check "only entries since then" test "$(json "min(r['at'] for r in L) >= '2027-01-31T23:00:00Z'")" = True
expect 0 "audit dossier by reference" m audit dossier DOS-2026-0009 --json
check "its approval is there" test "$(json "sum(1 for r in L if r['event'] == 'approve')")" -eq 1
done_testing
