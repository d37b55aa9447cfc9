#!/bin/sh
# The archive from the command line: filing outside files (archive add),
# register numbers, list, show, get (never binary to a terminal, never
# over a file), diff as diff -u, search in French and Arabic, verify
# finding damaged and missing files, the audit trail.
. tests/e2e/lib.sh

expect 0 "init" m init
sql "INSERT INTO dossier(ref, kind, title_fr, title_ar, body_id, state, state_since, created_at) SELECT 'DOS-2026-0001', 'request', 'Éclairage', 'الإنارة', id, 'open', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z' FROM body WHERE code = 'CASA'"

printf '%%PDF-1.4\nA scanned letter, as a PDF.\n' >"$T/scan.pdf"
cat >"$T/lettre.txt" <<'EOF'
Lettre de l'association Al Amal
Objet : éclairage public
والمجلس الجماعي مدعو إلى إصلاح الإنارة.
Signé : le président
EOF
cat >"$T/lettre-v2.txt" <<'EOF'
Lettre de l'association Al Amal
Objet : éclairage public du quartier
والمجلس الجماعي مدعو إلى إصلاح الإنارة.
Signé : le président
EOF

expect 0 "an empty archive lists nothing" m archive list --json
check "no document" test ! -s "$T/out"
expect 64 "no subcommand" m archive
expect 64 "an unknown subcommand" m archive frob
expect 0 "help" m archive list --help
has "$T/out" "search [--limit N]" && ok "the help lists the subcommands" || not_ok "help"

# Filing.
expect 64 "a new attachment needs titles" m archive add "$T/scan.pdf"
expect 64 "only attachments by hand" m archive add --kind pv --title-fr T --title-ar T "$T/scan.pdf"
expect 66 "a missing file" m archive add --title-fr T --title-ar ت "$T/nothing.pdf"
expect 65 "an unknown dossier" m archive add --title-fr T --title-ar ت --dossier DOS-2026-0099 "$T/scan.pdf"
expect 64 "two files of one type" m archive add --title-fr T --title-ar ت "$T/lettre.txt" "$T/lettre-v2.txt"
has "$T/err" "a version holds one of each" && ok "says why" || not_ok "two of a type"
check "nothing was filed" test "$(sql 'SELECT count(*) FROM document')" -eq 0
dump >"$T/before"
expect 0 "add a letter and its text" m archive add --title-fr "Lettre de l'association Al Amal" --title-ar "رسالة جمعية الأمل" --dossier DOS-2026-0001 "$T/scan.pdf" "$T/lettre.txt"
has "$T/out" "PJ-2026-0001 v1: filed 2 files" && ok "numbered PJ-2026-0001" || not_ok "first number"
check "its audit entry" test "$(sql "SELECT count(*) FROM audit WHERE object_kind = 'document' AND action = 'archive' AND detail = 'PJ-2026-0001 v1'")" -eq 1
check "two objects, named by their SHA-256" test "$(find "$T/var/archive/objects" -type f ! -name '.*' | wc -l)" -eq 2
sha=$(sha256sum "$T/scan.pdf" | cut -c1-64)
check "the PDF's object" cmp -s "$T/var/archive/objects/$(echo "$sha" | cut -c1-2)/$sha" "$T/scan.pdf"
check "no temporary file left" test "$(find "$T/var/archive/objects" -name '.tmp*' | wc -l)" -eq 0
check "its body comes from the dossier" test "$(sql "SELECT b.code FROM document d JOIN body b ON b.id = d.body_id")" = CASA
expect 0 "a second attachment" m archive add --title-fr "Plan" --title-ar "تصميم" "$T/scan.pdf"
has "$T/out" "PJ-2026-0002 v1" && ok "numbered PJ-2026-0002" || not_ok "second number"
check "the same file is stored once" test "$(find "$T/var/archive/objects" -type f | wc -l)" -eq 2
NOW=2027-01-04T10:00 expect 0 "an attachment in the next year" m archive add --title-fr "Note" --title-ar "مذكرة" "$T/lettre.txt"
has "$T/out" "PJ-2027-0001 v1" && ok "numbered afresh each year" || not_ok "new year"

# Listing and showing, read-only.
dump >"$T/before"
expect 0 "list --json" m archive list --json
check "three documents" test "$(json "len(L)")" -eq 3
check "in register order" test "$(json "' '.join(r['register_no'] for r in L)")" = "PJ-2026-0001 PJ-2026-0002 PJ-2027-0001"
expect 0 "list --dossier REF" m archive list --dossier DOS-2026-0001 --json
check "one" test "$(json "[r['register_no'] for r in L]")" = "['PJ-2026-0001']"
expect 0 "list --year 2027 --kind attachment" m archive list --year 2027 --kind attachment --json
check "one in 2027" test "$(json "len(L)")" -eq 1
expect 0 "list --body CASA" m archive list --body CASA --json
check "one for the Commune" test "$(json "len(L)")" -eq 1
expect 0 "list as a table" m archive list
has "$T/out" "Lettre de l'association Al Amal" && ok "the table has titles" || not_ok "table"
expect 0 "show, any case" m archive show pj-2026-0001
has "$T/out" "lettre.txt" && ok "shows the files" || not_ok "show files"
expect 0 "show --json" m archive show PJ-2026-0001 --json
check "two files, their causes" test "$(json "[(f['format'], f['cause']) for f in L[0]['files']]")" = "[('pdf', 'cli'), ('txt', 'cli')]"
expect 65 "show an unknown number" m archive show PV-2026-0001
has "$T/err" "no document 'PV-2026-0001' in the archive" && ok "says so" || not_ok "unknown number"
dump >"$T/after"
check "reading changes nothing" cmp -s "$T/before" "$T/after"

# Getting files.
expect 0 "get the text" m archive get PJ-2026-0001 --format txt
check "as filed" cmp -s "$T/out" "$T/lettre.txt"
expect 0 "get the PDF (the default) into a pipe" m archive get PJ-2026-0001
check "as filed" cmp -s "$T/out" "$T/scan.pdf"
expect 0 "get -o FILE" m archive get PJ-2026-0001 -o "$T/got.pdf"
check "written" cmp -s "$T/got.pdf" "$T/scan.pdf"
expect 73 "never over an existing file" m archive get PJ-2026-0001 -o "$T/got.pdf"
expect 65 "no such format" m archive get PJ-2026-0001 --format docx
if command -v script >/dev/null; then
	script -qec "$MAJLIS -C $T/var archive get PJ-2026-0001" /dev/null >"$T/tty" 2>&1
	rc=$?
	check "not a PDF to a terminal (exit 64)" test $rc -eq 64
	has "$T/tty" "not writing it to a terminal" && ok "says why" || not_ok "tty message"
	script -qec "$MAJLIS -C $T/var archive get PJ-2026-0001 --format txt" /dev/null >"$T/tty" 2>&1
	check "text to a terminal is fine" test $? -eq 0
else
	not_ok "prerequisite missing: script (util-linux), to test a terminal"
fi

# Versions and diffs.
expect 0 "the same files again" m archive add --to PJ-2026-0001 "$T/scan.pdf" "$T/lettre.txt"
has "$T/out" "PJ-2026-0001 v1: the same files, nothing filed" && ok "no new version" || not_ok "unchanged"
expect 0 "a corrected text" m archive add --to PJ-2026-0001 "$T/scan.pdf" "$T/lettre-v2.txt" --json
check "version 2" test "$(json "(L[0]['version'], L[0]['created'])")" = "(2, 1)"
expect 1 "diff exits 1 when the texts differ" m archive diff PJ-2026-0001
diff -u --label "PJ-2026-0001 v1" --label "PJ-2026-0001 v2" "$T/lettre.txt" "$T/lettre-v2.txt" >"$T/want"
check "as diff -u prints it" cmp -s "$T/out" "$T/want"
expect 0 "diff of a version with itself" m archive diff PJ-2026-0001 2 2
check "prints nothing" test ! -s "$T/out"
expect 1 "diff v1 v2 --json" m archive diff PJ-2026-0001 v1 v2 --json
check "changed" test "$(json "L[0]['changed']")" -eq 1
expect 65 "diff with a version that is not there" m archive diff PJ-2026-0001 1 9
expect 65 "diff of a document with one version" m archive diff PJ-2026-0002
expect 64 "diff with a bad version" m archive diff PJ-2026-0001 one
expect 65 "--to an unknown number" m archive add --to PJ-2026-0009 "$T/scan.pdf"
sql "INSERT INTO document(register_no, kind, year, seq, title_fr, title_ar, created_at) VALUES ('PV-2026-0001', 'pv', 2026, 1, 'PV', 'محضر', '2026-01-01T00:00:00Z')"
expect 64 "a rendered document takes no outside file" m archive add --to PV-2026-0001 "$T/scan.pdf"
has "$T/err" "not an attachment" && ok "says so" || not_ok "not an attachment"

# Search.
expect 0 "search in French, without accents" m archive search eclairage quartier --json
check "finds the corrected letter" test "$(json "[r['register_no'] for r in L]")" = "['PJ-2026-0001']"
check "with a snippet" test "$(json "'[éclairage]' in L[0]['snippet']")" = True
expect 0 "only the latest text counts" m archive search "public" "signé" --json
check "PJ-2026-0001 and the 2027 note" test "$(json "sorted(r['register_no'] for r in L)")" = "['PJ-2026-0001', 'PJ-2027-0001']"
expect 0 "search in Arabic, without the article" m archive search مجلس --json
check "finds والمجلس" test "$(json "sorted(r['register_no'] for r in L)")" = "['PJ-2026-0001', 'PJ-2027-0001']"
expect 0 "with hamza and teh marbuta written otherwise" m archive search اصلاح الانارة --json
check "found" test "$(json "len(L)")" -eq 2
expect 0 "titles count" m archive search تصميم
has "$T/out" "PJ-2026-0002" && ok "found by its Arabic title" || not_ok "title"
expect 0 "--limit" m archive search public --limit 1 --json
check "one" test "$(json "len(L)")" -eq 1
expect 64 "a quote is not a query" m archive search '"'
has "$T/err" "nothing to search for" && ok "says so" || not_ok "quote"
expect 64 "nor is a star" m archive search '*'
expect 0 "NEAR( is a word" m archive search 'NEAR('
expect 0 "so is OR" m archive search a OR
expect 0 "and a column filter" m archive search 'norm:eclairage' --json
check "finds nothing" test ! -s "$T/out"

# Verify.
expect 0 "verify" m archive verify
has "$T/out" "every file is present and intact" && ok "intact" || not_ok "verify ok"
obj="$T/var/archive/objects/$(echo "$sha" | cut -c1-2)/$sha"
chmod u+w "$obj"
printf 'X' | dd of="$obj" bs=1 seek=3 conv=notrunc 2>/dev/null
expect 65 "verify finds a damaged file" m archive verify --json
check "named for each version using it" test "$(json "sorted((r['register_no'], r['version']) for r in L)")" = "[('PJ-2026-0001', 1), ('PJ-2026-0001', 2), ('PJ-2026-0002', 1)]"
check "with the problem" test "$(json "L[0]['problem'].startswith('damaged')")" = True
expect 65 "get refuses it" m archive get PJ-2026-0002 -o "$T/bad.pdf"
has "$T/err" "damaged" && ok "says it is damaged" || not_ok "get damaged"
check "and writes nothing" test ! -e "$T/bad.pdf"
rm -f "$obj"
expect 65 "verify finds a missing file" m archive verify
has "$T/out" "missing" && ok "lists it" || not_ok "missing"
has "$T/err" "3 files of the archive are missing or damaged" && ok "counts them" || not_ok "count"
done_testing
