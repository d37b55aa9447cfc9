#!/bin/sh
# Reports as management reads them: the daily dashboard (rebuilt once a
# day, attached to the management digest) read back with openpyxl and
# opened by LibreOffice; data never turned into formulas; états as PDF
# with their header on every page; CSV for French-locale Excel; the
# attendance report's legal-limit flags; agenda views as PDF, workbook
# and iCalendar; and majlis check refusing a bad definition by file:line.
. tests/e2e/lib.sh

PY=/usr/bin/python3
CHECK=${MAJLIS_TOOLS:-$(dirname "$MAJLIS")/tests}/ics-check
if ! $PY -c 'import openpyxl, icalendar' 2>/dev/null ||
	! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null ||
	[ ! -x "$CHECK" ]; then
	not_ok "prerequisites: python3-openpyxl, python3-icalendar, libreoffice-calc-nogui, poppler-utils, $CHECK (scripts/setup.sh check installs them)"
	done_testing
fi

NOW=2026-11-29T10:00
DAY=2026-11-29
expect 0 "init --demo" m init --demo
# Data that would be a formula if a writer were careless.
sql "INSERT INTO dossier(ref, kind, title_fr, title_ar, body_id, due_at,
	state, state_since, created_at) VALUES ('DOS-2026-0099', 'budget',
	'=HYPERLINK(\"http://evil.example\",\"cliquez\")', '@SUM(A1:A9)', 2,
	'2026-12-20T10:00:00Z', 'created', '2026-11-20T10:00:00Z',
	'2026-11-20T10:00:00Z')"

# The attendance report's flags: three past sessions of the council; one
# élu missed all three, another the last two.
a=$(sql "SELECT p.id FROM person p JOIN membership ms ON ms.person_id = p.id
	WHERE ms.organization_id = 3 AND p.kind = 'elu' ORDER BY p.code LIMIT 1 OFFSET 20")
b=$(sql "SELECT p.id FROM person p JOIN membership ms ON ms.person_id = p.id
	WHERE ms.organization_id = 3 AND p.kind = 'elu' ORDER BY p.code LIMIT 1 OFFSET 21")
acode=$(sql "SELECT code FROM person WHERE id = $a")
bcode=$(sql "SELECT code FROM person WHERE id = $b")
for mo in 02 05 07; do
	sql "INSERT INTO session(organization_id, kind, year, month, title_fr,
		title_ar, opens_on) VALUES (3, 'ordinary', 2026, $mo,
		'Session de 2026-$mo', 'دورة 2026-$mo', '2026-$mo-01')"
	s=$(sql "SELECT max(id) FROM session")
	sql "INSERT INTO meeting(session_id, organization_id, title_fr,
		title_ar, starts_at, state, state_since, created_at) VALUES ($s,
		3, 'Séance de 2026-$mo', 'جلسة 2026-$mo', '2026-$mo-03T09:00:00Z',
		'closed', '2026-$mo-03T15:00:00Z', '2026-$mo-01T09:00:00Z')"
	mid=$(sql "SELECT max(id) FROM meeting")
	sql "INSERT INTO invitation(meeting_id, person_id, attendance, state,
		state_since, created_at) SELECT $mid, ms.person_id, 'present',
		'accepted', '2026-$mo-03T09:00:00Z', '2026-$mo-01T09:00:00Z'
		FROM membership ms WHERE ms.organization_id = 3"
	sql "UPDATE invitation SET attendance = 'absent' WHERE meeting_id = $mid
		AND person_id = $a"
	[ "$mo" != 02 ] && sql "UPDATE invitation SET attendance = 'absent'
		WHERE meeting_id = $mid AND person_id = $b"
done

expect 0 "a tick" m --json run
check "it rebuilt the dashboard" has "$T/out" '"step":"dashboard","name":"tableau-de-bord"'
check "into out/, dated and as the latest" test -s "$T/var/out/tableau-de-bord-$DAY.xlsx" -a -s "$T/var/out/tableau-de-bord.xlsx"
check "and recorded it" test "$(sql "SELECT count(*) FROM report_run WHERE day = '$DAY'")" = 1
expect 0 "another tick the same day" m --json run
check "does not rebuild it" test "$(grep -c '"step":"dashboard"' "$T/out")" = 0

# The management digest carries it; an élu's does not.
raw() {
	sqlite3 "$T/var/majlis.db" "SELECT r.raw FROM outbox o JOIN outbox_raw r
		ON r.id = o.id JOIN person p ON p.id = o.person_id
		WHERE o.kind = 'digest' AND p.code = '$1'"
}
raw E0001 >"$T/digest-president"
check "the president's digest attaches the dashboard" has "$T/digest-president" "filename=\"tableau-de-bord-$DAY.xlsx\""
$PY -c '
import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
for p in m.walk():
    if p.get_content_type() == "text/plain":
        print(p.get_payload(decode=True).decode())' "$T/digest-president" >"$T/digest-text"
check "and says so" has "$T/digest-text" "Le tableau de bord du jour est joint à ce message : tableau-de-bord-$DAY.xlsx."
other=$(sql "SELECT p.code FROM outbox o JOIN person p ON p.id = o.person_id
	WHERE o.kind = 'digest' AND p.code NOT IN (SELECT p2.code FROM person p2
	JOIN membership ms ON ms.person_id = p2.id WHERE ms.role IN
	('president', 'vice_president', 'dgs')) LIMIT 1")
raw "$other" >"$T/digest-other"
if grep -q "tableau-de-bord" "$T/digest-other"; then
	not_ok "$other's digest carries no dashboard"
else
	ok "$other's digest carries no dashboard"
fi

# The workbook as openpyxl reads it.
$PY - "$T/var/out/tableau-de-bord.xlsx" >"$T/xl" 2>&1 <<'PY'
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
fr = ["Synthèse", "Séances", "Présences", "Dossiers", "Décisions",
      "Pétitions", "Tâches en retard", "Notifications", "Arrondissements",
      "Agenda du mois"]
ar = ["ملخص", "الجلسات", "الحضور", "الملفات", "المقررات", "العرائض",
      "المهام المتأخرة", "الإشعارات", "المقاطعات", "أجندة الشهر"]
bad = []
def want(cond, what):
    if not cond:
        bad.append(what)
want(wb.sheetnames == fr + ar, "sheets: %r" % wb.sheetnames)
for name in fr:
    want(not wb[name].sheet_view.rightToLeft, name + " is left to right")
for name in ar:
    want(wb[name].sheet_view.rightToLeft, name + " is right to left")
p = wb.properties
want("Tableau de bord" in (p.title or "") and "لوحة" in (p.title or ""),
     "title %r" % p.title)
want(p.creator == "majlis", "creator %r" % p.creator)
want(p.created and p.created.date() == datetime.date(2026, 11, 29),
     "created %r" % p.created)
o = wb["Synthèse"]
want(o["A1"].value == "Chiffres clés", "overview A1 %r" % o["A1"].value)
want(o["A3"].value == "Indicateur" and o["B3"].value == "Nombre",
     "overview headers")
want(o["A4"].value == "Séances à venir" and isinstance(o["B4"].value, int),
     "first figure %r %r" % (o["A4"].value, o["B4"].value))
kinds = sorted(type(c).__name__ for c in o._charts)
want(kinds == ["BarChart", "BarChart", "LineChart", "PieChart"],
     "overview charts %r" % kinds)
want(len(wb["ملخص"]._charts) == 4, "Arabic overview charts")
want(wb["ملخص"]["A1"].value == "الأرقام الرئيسية", "Arabic overview A1")
d = wb["Dossiers"]
heads = [c.value for c in d[3]]
want(heads[:4] == ["Référence", "Intitulé", "État", "Responsable"],
     "dossier headers %r" % heads)
want(d.freeze_panes == "A4", "frozen %r" % d.freeze_panes)
want(d.auto_filter.ref and d.auto_filter.ref.startswith("A3:"),
     "filter %r" % d.auto_filter.ref)
rows = list(d.iter_rows(min_row=4, values_only=False))
data = [r for r in rows if r[0].value and str(r[0].value).startswith("DOS-")]
want(len(data) == 13, "13 dossiers, not %d" % len(data))
late = [r for r in data if r[0].fill.fgColor.rgb.endswith("FFC7CE")]
want(len(late) == 2 and all(r[2].value in ("Renvoyé pour modifications",
     "En examen") for r in late), "two late ones in red")
want(data[0] in late and data[1] in late, "late ones first")
green = [r for r in data if r[0].fill.fgColor.rgb.endswith("C6EFCE")]
want(len(green) == 7, "seven decided ones in green, not %d" % len(green))
want(isinstance(data[0][5].value, datetime.datetime), "dates are dates")
want(data[0][5].number_format == "dd/mm/yyyy", "date format")
evil = [r for r in data if r[0].value == "DOS-2026-0099"][0]
want(evil[1].value.startswith("=HYPERLINK") and evil[1].data_type == "s",
     "a title that looks like a formula stays text: %r %r"
     % (evil[1].value, evil[1].data_type))
ad = wb["الملفات"]
evil_ar = [r for r in ad.iter_rows(min_row=4) if r[0].value == "DOS-2026-0099"][0]
want(evil_ar[1].value == "@SUM(A1:A9)" and evil_ar[1].data_type == "s",
     "the Arabic title too")
want([c.value for c in ad[3]][:2] == ["المرجع", "الموضوع"], "Arabic headers")
total = [r for r in rows if r[1].value == "Total général"]
want(len(total) == 1 and total[0][0].value == "=SUBTOTAL(103,A4:A16)",
     "the total is a SUBTOTAL: %r" % (total and total[0][0].value))
formulas = [c.value for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f"]
want(formulas and all(f.startswith("=SUBTOTAL(") for f in formulas),
     "the only formulas are the totals' (%d)" % len(formulas))
s = wb["Séances"]
want(any(r[0].value and str(r[0].value).startswith("Total — ")
         for r in s.iter_rows(min_row=4)), "subtotals per organ")
a = wb["Présences"]
first = [c.value for c in a[4]]
want(first[-1] == "Atteinte", "the limit reached comes first: %r" % first)
want(a["A4"].fill.fgColor.rgb.endswith("FFC7CE"), "in red")
second = [c.value for c in a[5]]
want(second[-1] == "Proche (une session)", "then the near one: %r" % second)
want(a["A5"].fill.fgColor.rgb.endswith("FFEB9C"), "in amber")
want(isinstance(a["H4"].value, float) and a["H4"].number_format == "0.0%",
     "rates are percentages")
g = wb["Agenda du mois"]
want([c.value for c in g[3]][:5] == ["Date", "Jour", "Date hégirienne",
     "Heure", "Type"], "agenda headers")
print("\n".join(bad) if bad else "all good")
sys.exit(1 if bad else 0)
PY
if [ $? -eq 0 ]; then ok "openpyxl reads the dashboard as expected"; else
	not_ok "openpyxl reads the dashboard as expected"; sed 's/^/#   /' "$T/xl"; fi

# LibreOffice opens it without complaint.
mkdir "$T/lo"
HOME=$T/lo timeout 300 soffice --headless --norestore --convert-to pdf \
	--outdir "$T/lo" "$T/var/out/tableau-de-bord.xlsx" >"$T/lo/out" 2>&1
check "LibreOffice converts the dashboard" test -s "$T/lo/tableau-de-bord.pdf"
if grep -qi "error\|repair\|corrupt" "$T/lo/out"; then
	not_ok "without an error"; sed 's/^/#   /' "$T/lo/out"
else
	ok "without an error"
fi
pdftotext "$T/lo/tableau-de-bord.pdf" "$T/lo/text"
check "with the French sheets" has "$T/lo/text" "Chiffres clés"
check "and the Arabic ones" has "$T/lo/text" "الرئيسية"

# A report alone, in each format.
expect 0 "report dossiers" m report dossiers
check "as a workbook in out/" test -s "$T/var/out/dossiers.xlsx"
expect 0 "report attendance as an état" m report attendance -o "$T/att.pdf"
pages=$(pdfinfo "$T/att.pdf" | awk '/^Pages:/ {print $2}')
check "of several pages ($pages)" test "$pages" -gt 4
headed=0
i=1
while [ "$i" -le "$pages" ]; do
	pdftotext -f "$i" -l "$i" "$T/att.pdf" - | grep -q "Matricule\|الرقم" &&
		headed=$((headed + 1))
	i=$((i + 1))
done
check "its header on every page" test "$headed" -eq "$pages"
pdftotext "$T/att.pdf" "$T/att.txt"
check "in French" has "$T/att.txt" "Présences et absences des élus"
check "and Arabic" has "$T/att.txt" "حضور وغياب"
check "with the letterhead" has "$T/att.txt" "ROYAUME DU MAROC"
expect 0 "report dossiers as CSV" m report dossiers -o "$T/d.csv"
check "with a byte-order mark" test "$(head -c 3 "$T/d.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
check "French headers, ';' between fields" has "$T/d.csv" "Référence;Intitulé;État;Responsable"
check "formula-like text quoted" has "$T/d.csv" "\"'=HYPERLINK("
expect 0 "in Arabic" m report dossiers --lang ar -o "$T/d-ar.csv"
check "with Arabic headers" has "$T/d-ar.csv" "المرجع;الموضوع;الحالة"
expect 0 "report dossiers --json" m --json report dossiers
check "13 dossiers and a total" test "$(json 'len(L)')" = 14
expect 0 "for one arrondissement" m --json report dossiers --body ANFA
check "only the one of Anfa" test "$(json '[r.get("ref") for r in L]')" = "['DOS-2026-0099', 1]"
expect 64 "a period for a report that takes none" m report tasks --period 2026
check "is refused" has "$T/err" "takes no period"
expect 65 "an unknown body" m report dossiers --body NOWHERE
expect 65 "an unknown report" m report nothing
expect 0 "the dashboard on demand, for one month" m report tableau-de-bord --period 2026-10 -o "$T/oct.xlsx"
$PY -c "
import openpyxl, sys
ws = openpyxl.load_workbook('$T/oct.xlsx')['Séances']
print(ws['A2'].value)" >"$T/sub"
check "says its period" has "$T/sub" "du 01/10/2026 au 31/10/2026"

# Agendas.
expect 0 "agenda month 2027-02" m agenda month 2027-02
check "in out/" test -s "$T/var/out/agenda-month-2027-02.pdf"
pdftotext "$T/var/out/agenda-month-2027-02.pdf" "$T/agenda.txt"
check "the month in French" has "$T/agenda.txt" "Agenda du mois — février 2027"
check "and in Arabic" has "$T/agenda.txt" "أجندة الشهر"
check "with the sittings" has "$T/agenda.txt" "Première séance"
check "and the Hijri days" has "$T/agenda.txt" "Chaabane"
expect 0 "agenda month 2027-01 as iCalendar" m agenda month 2027-01 -o "$T/jan.ics"
check "reads in libical" "$CHECK" "$T/jan.ics"
$PY - "$T/jan.ics" >"$T/ics" 2>&1 <<'PY'
import sys, datetime, icalendar
c = icalendar.Calendar.from_ical(open(sys.argv[1], "rb").read())
ev = {str(e["uid"]): e for e in c.walk("VEVENT")}
assert c["method"] == "PUBLISH"
assert "meeting-6@casablanca.ma" in ev, ev.keys()
assert ev["holiday-new-year-2027-01-01@casablanca.ma"]["dtstart"].dt == \
    datetime.date(2027, 1, 1)
assert any("Nouvel An amazigh" in str(e["summary"]) for e in ev.values())
print("ok")
PY
check "and in icalendar, with the commission's meeting and the holidays" has "$T/ics" "ok"
expect 0 "the week of the sitting, for one person" m --json agenda week 2027-02-02 --for E0001
check "their sitting" test "$(json '[r.get("id") for r in L if r["kind"] == "Réunion"]')" = "[4]"
expect 0 "a commission's month" m --json agenda month 2027-01 --for CC-COM-BUDGET
check "its meeting only" test "$(json '[r.get("id") for r in L if r["kind"] == "Réunion"]')" = "[6]"
expect 65 "someone unknown" m agenda month --for NOBODY
expect 0 "as a workbook" m agenda month 2027-01 -o "$T/jan.xlsx"
check "of two sheets" test "$($PY -c "import openpyxl; print(openpyxl.load_workbook('$T/jan.xlsx').sheetnames)")" = "['Agenda', 'الأجندة']"

# A bad definition is refused with its file and line, before anything runs.
mkdir -p "$T/var/reports"
printf '[report]\nformat = 1\nfr = X\nar = س\nsheet_fr = X\nsheet_ar = س\nquery = SELECT ref FROM dossier\n\n[column reference]\nfr = R\nar = ر\n' >"$T/var/reports/mine.report"
expect 78 "check with a bad definition" m check
check "names its file and line" has "$T/err" "mine.report:9: column 'reference': the query has no field 'reference'"
expect 78 "report refuses to run" m report --list
printf '[report]\nformat = 1\nfr = X\nar = س\nsheet_fr = X\nsheet_ar = س\nquery = UPDATE dossier SET state = 1\n[column ref]\nfr = R\nar = ر\n' >"$T/var/reports/mine.report"
expect 78 "a query that writes" m check
check "is refused" has "$T/err" "mine.report:7: query: a report's query may only read"
check "and wrote nothing" test "$(sql "SELECT count(*) FROM dossier WHERE state = '1'")" = 0
rm "$T/var/reports/mine.report"
expect 0 "check without it" m check

done_testing
