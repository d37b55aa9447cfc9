#!/bin/sh
# majlis import orgchart: a good file, the same file again, and hostile
# files refused with their line numbers, the store left as it was.
. tests/e2e/lib.sh

expect 0 "init" m init
expect 0 "a dry run" m import orgchart examples/organigramme.csv --dry-run
has "$T/out" "dry run" && ok "says nothing was written" || not_ok "dry run"
check "nothing written" test "$(sql 'SELECT count(*) FROM person')" -eq 0
expect 0 "import the example" m import orgchart examples/organigramme.csv --json
check "3 persons" test "$(json "L[0]['persons_new']")" -eq 3
check "6 memberships" test "$(json "L[0]['memberships_new']")" -eq 6
check "phone in E.164" test "$(sql "SELECT phone FROM person WHERE code = 'E9001'")" = "+212661234567"
check "dates read in French order" test "$(sql "SELECT DISTINCT from_date FROM membership m JOIN person p ON p.id = m.person_id WHERE p.code = 'E9001'")" = "2021-09-20"
expect 0 "the same file again" m import orgchart examples/organigramme.csv --json
check "changes nothing" test "$(json "L[0]['persons_new'] + L[0]['persons_updated'] + L[0]['memberships_new']")" -eq 0
check "one audit entry per import" test "$(sql "SELECT count(*) FROM audit WHERE action = 'import'")" -eq 2

header='matricule,type,genre,prenom_fr,nom_fr,prenom_ar,nom_ar,langue,email,organisation,role,debut'
good='E1,elu,M,Karim,Alaoui,كريم,العلوي,ar,k@x.ma,CC,member,2021-09-20'

hostile() {
	hlabel=$1
	htext=$2
	dump >"$T/before"
	expect 65 "$hlabel: refused" m import orgchart "$T/bad.csv"
	has "$T/err" "$htext" && ok "$hlabel: '$htext'" ||
		not_ok "$hlabel message"
	has "$T/err" "nothing was imported" ||
		not_ok "$hlabel: says nothing was imported"
	dump >"$T/after"
	check "$hlabel: store unchanged" cmp -s "$T/before" "$T/after"
}

# Arabic saved by Excel in Windows-1256.
{ echo "$header"; echo "$good"; printf 'E2,elu,F,Salma,Sabri,\323\344\343\307,\325\310\321\312,ar,s@x.ma,CC,member,2021-09-20\n'; } >"$T/bad.csv"
hostile "wrong encoding" "bad.csv:3: the file is not UTF-8; it looks like Windows-1256"

{ echo 'matricule,type,genre,prenom_fr,nom_fr,langue,organisation,role'; echo 'E1,elu,M,Karim,Alaoui,ar,CC,member'; } >"$T/bad.csv"
hostile "missing columns" "missing column 'prenom_ar'"

{ echo "$header"; echo "$good"; echo 'E3,elu,M,Omar,Tazi,عمر,التازي,ar,o@x.ma,CC,member,2021-09-20'; echo "$good"; } >"$T/bad.csv"
hostile "duplicate row" "bad.csv:4: duplicate of line 2"

{ echo "$header"; echo "$good"; echo 'E1,elu,M,Karim,Alami,كريم,العلوي,ar,k@x.ma,CC-BUREAU,member,2021-09-20'; } >"$T/bad.csv"
hostile "conflicting person" "bad.csv:3: nom_fr of E1 is 'Alami' here but 'Alaoui' on line 2"

{ echo "$header"; echo "$good"; echo 'E4,elu,M,Omar,=HYPERLINK("http://x"),عمر,التازي,ar,o@x.ma,CC,member,2021-09-20'; } >"$T/bad.csv"
hostile "injected formula" "bad.csv:3: nom_fr starts with '=': a spreadsheet formula is not accepted"

{ echo "$header"; echo "$good"; echo 'E5,elu,M,Omar,Tazi,عمر,التازي,ar,o@x.ma,CC,@SUM(A1),2021-09-20'; echo 'E6,elu,X,Omar,Tazi,عمر,التازي,ar,p@x.ma,NOPE,member,2021-02-30'; } >"$T/bad.csv"
hostile "several bad rows" "bad.csv:3: role starts with '@'"
has "$T/err" "bad.csv:4: genre must be M or F" && ok "all problems reported at once" || not_ok "several problems"
has "$T/err" "bad.csv:4: debut: '2021-02-30' is not a date" && ok "a bad date" || not_ok "bad date"

printf '' >"$T/bad.csv"
hostile "empty file" "the file is empty"
printf '%s\n%s\0\n' "$header" "$good" >"$T/bad.csv"
hostile "NUL byte" "NUL byte"
expect 66 "a missing file" m import orgchart "$T/nope.csv"
done_testing
