#!/bin/sh
# Documents as people get them: every template issued from the demo
# Commune, read back as a person or a search engine would. pdftotext must
# give known sentences in Arabic (in logical order, as ordinary letters,
# the lam-alef and Allah ligatures included) and in French; fonts are
# ours, embedded and subset; the Word files open in LibreOffice with the
# same text; the same data and --now give the same bytes; templates are
# checked with their file and line; the sample data keep the data's shape.
. tests/e2e/lib.sh

NOW=2026-11-29T10:00
expect 0 "init --demo" m init --demo
expect 0 "the first tick issues the February convocation" m run

# text PDF [FIRST LAST]: the text of a PDF as one line, without the bidi
# controls pdftotext adds around right-to-left stretches.
text() {
	pdftotext ${2:+-f $2 -l $3} "$1" - | python3 -c '
import sys, re
t = sys.stdin.read()
t = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", t)
print(re.sub(r"\s+", " ", t))'
}

# says FILE STRING...: the text file holds every string.
says() {
	f=$1
	shift
	for s in "$@"; do
		if ! grep -qF -- "$s" "$f"; then
			echo "# missing: $s"
			return 1
		fi
	done
}

# The documents, the object each is about, and known sentences: Arabic
# ones with digits are checked where Arabic is the page's language;
# Arabic ones without are checked everywhere.
run_kind() {
	kind=$1 id=$2
	for lang in ar fr both; do
		expect 0 "$kind $id: issue, then the $lang PDF" \
			m render "$kind" "$id" --lang "$lang" -o "$T/$kind-$lang.pdf"
		text "$T/$kind-$lang.pdf" >"$T/$kind-$lang.txt"
	done
}

# words FILE STRING...: every word of the strings, without its
# punctuation, is in the file (for pages with both languages side by
# side, where pdftotext orders the pieces of an Arabic line by the page's
# main, French, direction: the words come out right, not their order).
words() {
	python3 - "$@" <<'PY'
import sys
have = open(sys.argv[1], encoding="utf-8").read()
miss = [w for s in sys.argv[2:] for w in s.split()
        if w.strip("،.:؛") not in have]
if miss:
    print("# missing words:", " ".join(miss))
sys.exit(1 if miss else 0)
PY
}

# no_script FILE RANGE...: the file holds no character of the ranges.
no_script() {
	python3 - "$@" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
bad = [c for r in sys.argv[2:] for c in re.findall("[" + r + "]", t)]
if bad:
    print("# found:", "".join(bad[:20]))
sys.exit(1 if bad else 0)
PY
}

check_kind() {
	kind=$1 layout=$2
	shift 2
	ar_digits= ar_words= fr=
	while [ $# -gt 0 ]; do
		case $1 in
		--ar) ar_digits="$ar_digits
$2" ;;
		--arw) ar_words="$ar_words
$2" ;;
		--fr) fr="$fr
$2" ;;
		esac
		shift 2
	done
	old_ifs=$IFS
	IFS='
'
	# shellcheck disable=SC2086
	check "$kind: Arabic PDF, Arabic in logical order" says "$T/$kind-ar.txt" $ar_digits $ar_words
	# shellcheck disable=SC2086
	check "$kind: French PDF, French intact" says "$T/$kind-fr.txt" $fr
	if [ "$layout" = sequential ]; then
		# shellcheck disable=SC2086
		check "$kind: bilingual PDF, both" says "$T/$kind-both.txt" $fr $ar_digits $ar_words
	else
		# shellcheck disable=SC2086
		check "$kind: bilingual PDF, French" says "$T/$kind-both.txt" $fr
		# shellcheck disable=SC2086
		check "$kind: bilingual PDF, every Arabic word" words "$T/$kind-both.txt" $ar_digits $ar_words
	fi
	IFS=$old_ifs
	check "$kind: no Arabic in the French PDF" \
		no_script "$T/$kind-fr.txt" "\u0600-\u06ff"
	check "$kind: Arabic presentation forms never come out" \
		no_script "$T/$kind-both.txt" "\ufb50-\ufdff\ufe70-\ufeff"
}

run_kind convocation 4
check_kind convocation sequential \
	--arw "استدعاء" \
	--arw "إلى السيدات والسادة أعضاء مجلس جماعة الدار البيضاء" \
	--arw "سلام تام بوجود مولانا الإمام المؤيد بالله" \
	--ar "يشرفني أن أدعوكم لحضور أشغال الجلسة الأولى للدورة العادية لشهر فبراير 2027" \
	--ar "القانون التنظيمي رقم 113.14 المتعلق بالجماعات" \
	--ar "دراسة حصيلة تنفيذ برنامج عمل الجماعة 2022–2027" \
	--arw "الموافقة على اتفاقية التعاون اللامركزي مع مدينة داكار" \
	--arw "وتقبلوا فائق عبارات التقدير والاحترام" \
	--arw "رئيسة مجلس جماعة الدار البيضاء" \
	--arw "حنان صبري" \
	--fr "CONVOCATION" \
	--fr "WILAYA DE LA RÉGION CASABLANCA-SETTAT" \
	--fr "Conformément aux dispositions de la loi organique n° 113-14 relative aux communes" \
	--fr "le mardi 2 février 2027 (25 Chaabane 1448) à 10h00" \
	--fr "Examen de l'état d'avancement du programme d'action de la Commune 2022–2027" \
	--fr "La Présidente du Conseil de la Commune de Casablanca"

run_kind agenda 4
check_kind agenda sequential \
	--arw "جدول الأعمال" \
	--arw "الموافقة على تخصيص فائض ميزانية السنة المالية المنصرمة" \
	--ar "الموافقة على اتفاقية الشراكة المتعلقة بتهيئة ممر الخط T3 للترامواي" \
	--fr "ORDRE DU JOUR" \
	--fr "Approbation de l'affectation de l'excédent budgétaire de l'exercice écoulé" \
	--fr "Nombre de points inscrits : 7."

run_kind pv 1
check_kind pv sequential \
	--arw "محضر" \
	--arw "الحضور والنصاب القانوني" \
	--arw "وبعد التأكد من توفر النصاب القانوني، افتتحت الجلسة." \
	--arw "صادق المجلس على هذه النقطة" \
	--ar "في يوم الثلاثاء 6 أكتوبر 2026 الموافق 24 ربيع الآخر 1448" \
	--arw "كاتبة المجلس" \
	--fr "PROCÈS-VERBAL" \
	--fr "Le quorum légal étant atteint, la séance a été ouverte." \
	--fr "Le Conseil a approuvé ce point (délibération n° CASA-DEL-2026-0001)." \
	--fr "La Secrétaire du Conseil"

run_kind report 3
check_kind report sequential \
	--arw "تقرير لجنة الميزانية والشؤون المالية والبرمجة" \
	--arw "رأي اللجنة: موافقة." \
	--fr "Rapport de la Commission du budget, des affaires financières et de la programmation" \
	--fr "Avis de la commission : favorable."

run_kind extract CASA-DEL-2026-0001
check_kind extract side-by-side \
	--arw "مستخرج من سجل المداولات" \
	--arw "مستخرج مطابق للأصل" \
	--ar "إن المجلس، المجتمع يوم الثلاثاء 6 أكتوبر 2026" \
	--fr "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS" \
	--fr "Délibération n° CASA-DEL-2026-0001" \
	--fr "Pour extrait conforme"

run_kind petition-ack PET-2026-0001
check_kind petition-ack side-by-side \
	--arw "وصل إيداع" \
	--arw "وقد أحيلت العريضة على مكتب المجلس للبت في قبولها" \
	--fr "ACCUSÉ DE RÉCEPTION" \
	--fr "La pétition est transmise au Bureau du Conseil, qui se prononce sur sa recevabilité."

run_kind petition-answer PET-2026-0003
check_kind petition-answer side-by-side \
	--arw "يؤسفني أن أخبركم بأن مكتب المجلس قرر عدم قبولها" \
	--fr "le Bureau du Conseil l'a déclarée irrecevable" \
	--fr "La demande relève de la compétence de l'établissement de coopération intercommunale"

run_kind attestation E0012
check_kind attestation side-by-side \
	--arw "شهادة" \
	--arw "تشهد رئيسة مجلس جماعة الدار البيضاء بأن السيدة رجاء الغازي" \
	--arw "للإدلاء بها عند الحاجة" \
	--fr "ATTESTATION" \
	--fr "atteste que Mme Rajae El Ghazi" \
	--fr "pour servir et valoir ce que de droit"

# The layout of each: pages numbered in both languages; a bilingual
# document written one language after the other has both parts.
pages() { pdfinfo "$1" | awk '/^Pages:/ { print $2 }'; }
p_ar=$(pages "$T/pv-ar.pdf")
p_fr=$(pages "$T/pv-fr.pdf")
p_both=$(pages "$T/pv-both.pdf")
check "pv: several pages ($p_ar in Arabic)" test "$p_ar" -ge 3
check "pv: Arabic then French in one ($p_both = $p_ar + $p_fr)" \
	test "$p_both" -eq $((p_ar + p_fr))
text "$T/pv-both.pdf" 2 2 >"$T/p2.txt"
check "pv: page 2 numbered in both languages" \
	says "$T/p2.txt" "Page 2 / $p_both" "الصفحة 2 من $p_both"
check "extract: one page, side by side" test "$(pages "$T/extract-both.pdf")" -eq 1
for f in "$T"/*-both.pdf "$T"/*-ar.pdf "$T"/*-fr.pdf; do
	pdffonts "$f" | tail -n +3
done >"$T/fonts"
check "only our fonts (Noto Naskh Arabic, Noto Serif)" \
	sh -c "! awk '{ sub(/^[A-Z]+\\+/, \"\", \$1); print \$1 }' '$T/fonts' | grep -v -e '^NotoNaskhArabic-' -e '^NotoSerif-'"
check "every font embedded and subset" \
	sh -c "! awk '{ print \$(NF-4), \$(NF-3) }' '$T/fonts' | grep -v '^yes yes$'"
pdfinfo "$T/pv-both.pdf" >"$T/info"
check "metadata: title, author, dates" says "$T/info" \
	"Title:           Procès-verbal — Première séance de la session ordinaire d'octobre 2026" \
	"Author:          Conseil de la Commune de Casablanca" \
	"CreationDate:"
check "an outline for long documents" grep -q "/Outlines" "$T/pv-both.pdf"
check "the minutes link to each decision's extract" \
	grep -q "/URI (EXT-2026-0001.pdf)" "$T/pv-fr.pdf"

# The same data and --now give the same bytes; a reissue files nothing.
expect 0 "a preview" m render pv 1 --preview -o "$T/a.pdf"
expect 0 "the same preview" m render pv 1 --preview -o "$T/b.pdf"
check "byte for byte the same" cmp -s "$T/a.pdf" "$T/b.pdf"
expect 0 "issued again, later" "$MAJLIS" -C "$T/var" --now 2026-12-15T10:00 render pv 1
check "nothing new filed" says "$T/out" "PV-2026-0001 v1: unchanged, not filed"
expect 0 "the archived Word file" m archive get PV-2026-0001 --format docx --lang ar -o "$T/pv-ar.docx"
check "a Word file" sh -c "unzip -p '$T/pv-ar.docx' word/document.xml | grep -q '<w:bidi/>'"

# The Word files, opened as a person would, with LibreOffice.
if command -v soffice >/dev/null 2>&1; then
	m render convocation 4 --format docx -o "$T/conv.docx" >/dev/null 2>&1
	m render attestation E0012 --format docx -o "$T/att.docx" >/dev/null 2>&1
	soffice --headless -env:UserInstallation=file://$T/lo \
		--convert-to txt:Text --outdir "$T/lo-out" \
		"$T/conv.docx" "$T/att.docx" >/dev/null 2>&1
	for f in "$T"/lo-out/*.txt; do
		python3 -c '
import sys, re
t = open(sys.argv[1], encoding="utf-8-sig").read()
t = re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", t)
print(re.sub(r"\s+", " ", t))' "$f" >"$f.flat"
	done
	check "convocation.docx in LibreOffice: Arabic and French" \
		says "$T/lo-out/conv.txt.flat" \
		"يشرفني أن أدعوكم لحضور أشغال الجلسة الأولى للدورة العادية لشهر فبراير 2027" \
		"Examen de l'état d'avancement du programme d'action de la Commune 2022–2027"
	check "attestation.docx in LibreOffice" says "$T/lo-out/att.txt.flat" \
		"تشهد رئيسة مجلس جماعة الدار البيضاء بأن السيدة رجاء الغازي" \
		"pour servir et valoir ce que de droit"
else
	not_ok "LibreOffice (soffice) is not installed: scripts/setup.sh check installs it"
fi

# Errors people make.
expect 64 "an unknown kind" m render minutes 1
expect 65 "no such meeting" m render pv 999
expect 65 "minutes of a meeting not held" m render pv 5
check "says why" says "$T/err" "has not been held"
expect 65 "a report is a commission's" m render report 1
expect 0 "the kinds" m render --kinds
check "are listed" says "$T/out" "petition-answer" "attestation"

# Templates are checked with file and line; an instance overrides one.
expect 0 "majlis check: the shipped templates are sound" m check
mkdir -p "$T/var/templates"
sed 's/{{meeting.title_fr}}/{{meeting.titel_fr}}/' templates/ordre-du-jour.xml \
	>"$T/var/templates/ordre-du-jour.xml"
line=$(grep -n 'titel_fr' "$T/var/templates/ordre-du-jour.xml" | head -1 | cut -d: -f1)
expect 78 "majlis check: a misspelt field" m check
check "is reported with its file and line" \
	says "$T/err" "templates/ordre-du-jour.xml:$line: unknown field 'meeting.titel_fr'"
expect 78 "and nothing is issued with it" m render agenda 4 --force
sed 's/{{meeting.titel_fr}}/{{meeting.title_fr}} (copie locale)/' templates/ordre-du-jour.xml \
	>"$T/var/templates/ordre-du-jour.xml"
sed -i 's/(copie locale)//; s/ORDRE DU JOUR/ORDRE DU JOUR (version de la Commune)/' \
	"$T/var/templates/ordre-du-jour.xml"
expect 0 "an instance's own template is used" m render agenda 4 --lang fr -o "$T/odj.pdf"
text "$T/odj.pdf" >"$T/odj.txt"
check "its text" says "$T/odj.txt" "ORDRE DU JOUR (version de la Commune)"
odj=$(sed -n 's/^\(ODJ-[0-9-]*\) v2: new version.*/\1/p' "$T/out")
check "filed as a new version ($odj v2)" test -n "$odj"
expect 1 "archive diff shows what changed" m archive diff "$odj" --lang fr
check "the heading" says "$T/out" "+ORDRE DU JOUR (version de la Commune)" "-ORDRE DU JOUR"
rm -rf "$T/var/templates"

# The samples templates are checked against still have the data's shape.
for kind in convocation:1 convocation:4 agenda:4 pv:1 pv:2 report:3 \
	extract:1 extract:6 petition-ack:1 petition-ack:2 \
	petition-answer:3 attestation:E0012 attestation:E0148; do
	m render "${kind%%:*}" "${kind#*:}" --data >"$T/data-${kind%%:*}-${kind#*:}.json"
done
python3 - "$T" templates/samples >"$T/shape" 2>&1 <<'PY'
import glob, json, os, sys
tmp, samples = sys.argv[1:3]
def paths(v, p=""):
    out = set()
    if isinstance(v, dict):
        for k, x in v.items():
            out.add(p + "." + k)
            out |= paths(x, p + "." + k)
    elif isinstance(v, list):
        for x in v:
            out |= paths(x, p + "[]")
    return out
def empty(v, p=""):
    """Paths whose value is null, false or an empty list: their shape is
    unknown."""
    out = set()
    if isinstance(v, dict):
        for k, x in v.items():
            if x is None or x is False or x == []:
                out.add(p + "." + k)
            out |= empty(x, p + "." + k)
    elif isinstance(v, list):
        for x in v:
            out |= empty(x, p + "[]")
    return out
real, unknown = {}, {}
for f in glob.glob(os.path.join(tmp, "data-*.json")):
    kind = os.path.basename(f)[5:].rsplit("-", 1)[0]
    d = json.load(open(f))
    real.setdefault(kind, set()).update(paths(d))
    unknown.setdefault(kind, set()).update(empty(d))
bad = 0
for kind, have in sorted(real.items()):
    sample = paths(json.load(open(os.path.join(samples, kind + ".json"))))
    for p in sorted(have - sample):
        print(f"{kind}: {p} is in the data, not in the sample"); bad += 1
    for p in sorted(sample - have):
        if any(p.startswith(u + ".") or p.startswith(u + "[]")
               for u in unknown[kind]):
            continue
        print(f"{kind}: {p} is in the sample, not in the data"); bad += 1
sys.exit(1 if bad else 0)
PY
if [ $? -eq 0 ]; then
	ok "the samples have the data's shape"
else
	not_ok "the samples have the data's shape (run scripts/template-samples.py)"
	sed 's/^/#   /' "$T/shape" | head -20
fi
done_testing
