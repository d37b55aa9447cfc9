#!/bin/sh
# The demo Commune, `show --json` over it, and a tick replayed with the
# same --now that changes nothing but the audit log's record of it.
. tests/e2e/lib.sh

expect 0 "init --demo" m init --demo
has "$T/out" "441 élus" && ok "441 élus" || not_ok "demo summary"

expect 0 "show --json" m show --json
check "summary: 17 bodies" test "$(json "L[0]['bodies']")" -eq 17
check "summary: 441 élus" test "$(json "L[0]['elus']")" -eq 441
check "summary: 24 staff" test "$(json "L[0]['staff']")" -eq 24
check "summary: 2 sessions" test "$(json "L[0]['sessions']")" -eq 2
check "summary: one event pending" test "$(json "L[0]['events_pending']")" -eq 1

expect 0 "show bodies --json" m show bodies --json
check "the 16 arrondissements" \
	test "$(json "sum(1 for b in L if b['kind'] == 'arrondissement')")" -eq 16
check "Maârif, in both scripts" \
	test "$(json "[b['name_ar'] for b in L if b['code'] == 'MAARIF'][0]")" = "مقاطعة المعاريف"
check "Ben M'Sick" test "$(json "[b['name_fr'] for b in L if b['code'] == 'BEN-MSICK'][0]")" = "Arrondissement de Ben M'Sick"

expect 0 "show orgchart CC --json" m show orgchart CC --json
check "the council has 147 members" test "$(json "len(L[0]['members'])")" -eq 147
check "one president" test "$(json "sum(1 for p in L[0]['members'] if p['role'] == 'president')")" -eq 1
check "ten vice-presidents" test "$(json "sum(1 for p in L[0]['members'] if p['role'] == 'vice_president')")" -eq 10
check "gendered titles" test "$(json "sorted(set(p['title_fr'] for p in L[0]['members'] if p['role'] == 'vice_president'))")" = "['Vice-président', 'Vice-présidente']"
check "Arabic titles" test "$(json "L[0]['members'][0]['title_ar']")" = "رئيسة"
expect 0 "show orgchart --json" m show orgchart --json
check "41 organizations" test "$(json "len(L)")" -eq 41
check "six commissions" test "$(json "sum(1 for o in L if o['kind'] == 'commission')")" -eq 6
check "bureau: president and ten vice-presidents" \
	test "$(json "len([o for o in L if o['code'] == 'CC-BUREAU'][0]['members'])")" -eq 11
check "441 élus in the 16 arrondissement councils and the council" \
	test "$(sql "SELECT count(DISTINCT person_id) FROM membership m JOIN organization g ON g.id = m.organization_id WHERE g.kind = 'council'")" -eq 441

expect 0 "show sessions --json" m show sessions --json
check "the next ordinary session is February's" \
	test "$(json "L[1]['title_fr']")" = "Session ordinaire du mois de février 2027"
expect 0 "show meeting 4 --json" m show meeting 4 --json
check "its agenda is numbered 1 to 7" test "$(json "[a['number'] for a in L[0]['agenda']]")" = "[1, 2, 3, 4, 5, 6, 7]"
check "in both languages" test "$(json "L[0]['agenda'][0]['title_ar'][:5]")" = "دراسة"
check "a range keeps its order in Arabic (isolated)" \
	test "$(json "'\u20662022–2027\u2069' in L[0]['agenda'][0]['title_ar']")" = True
check "still a draft" test "$(json "L[0]['state']")" = draft
expect 0 "show dossiers --json" m show dossiers --json
check "dossiers in five states" test "$(json "len(set(d['state'] for d in L))")" -eq 5
expect 0 "show petitions --json" m show petitions --json
check "petitions in five states" test "$(json "len(set(d['state'] for d in L))")" -eq 5
expect 0 "show tasks --late --json" m show tasks --late --json
check "two late tasks" test "$(json "len(L)")" -eq 2
expect 0 "show decisions --json" m show decisions --json
check "seven decisions of the last session" test "$(json "len(L)")" -eq 7

# The first tick sends the convocation the president signed.
expect 0 "run" m run --json
check "the convocation applied" test "$(json "sum(1 for r in L if r['step'] == 'event' and r.get('event') == 'convoke' and r['outcome'] == 'applied')")" -eq 1
check "147 invitations sent" test "$(sql "SELECT count(*) FROM invitation WHERE meeting_id = 4 AND state = 'sent'")" -eq 147
check "each invitee told once" test "$(sql "SELECT count(*) FROM notification WHERE message = 'invitation' AND object_id IN (SELECT id FROM invitation WHERE meeting_id = 4)")" -eq 147

# The same tick again: nothing but its own audit entry.
sqlite3 "$T/var/majlis.db" "SELECT * FROM audit" >"$T/audit1"
for t in meeting agenda_item invitation dossier petition task event job notification decision; do
	sqlite3 "$T/var/majlis.db" "SELECT * FROM $t" >>"$T/state1"
done
expect 0 "run again with the same --now" m run
has "$T/out" "0 deadlines passed, 0 events applied, 0 refused, 0 ignored, 0 jobs done" &&
	ok "says it did nothing" || not_ok "second run summary"
for t in meeting agenda_item invitation dossier petition task event job notification decision; do
	sqlite3 "$T/var/majlis.db" "SELECT * FROM $t" >>"$T/state2"
done
check "nothing changed" cmp -s "$T/state1" "$T/state2"
check "the audit log shows the idle tick" test "$(sql "SELECT count(*) FROM audit WHERE id > (SELECT max(id) FROM audit) - 1 AND action = 'tick' AND detail LIKE '{\"deadlines\":0,\"applied\":0,%\"jobs\":0,%'")" -eq 1
check "and nothing else" test "$(($(sql 'SELECT count(*) FROM audit') - $(wc -l <"$T/audit1")))" -eq 1
done_testing
