#!/bin/sh
# Reports: the management dashboard over a generated year of
# Casablanca's activity (about 2,000 meetings, 20,000 dossiers, 441 élus,
# 200,000 notifications) and a 100,000-row état (the notifications still
# waiting for an acknowledgement), each written by majlis (libxlsxwriter,
# constant memory) and by Python's openpyxl in write-only mode writing
# the same rows (bench/_report_python.py); time, peak memory and the
# ratio. Then the état at a quarter, a half and all of its rows, to show
# majlis's memory staying flat. Run from the top of the tree (make bench).
set -eu
: "${MAJLIS:=build/majlis}"
NOW=2026-12-31T10:00:00Z
T=$(mktemp -d /tmp/majlis-bench-XXXXXX)
trap 'rm -rf "$T"' EXIT
m() { "$MAJLIS" -C "$T/var" --now "$NOW" "$@"; }
m init --demo >/dev/null
/usr/bin/python3 bench/_report_make.py "$T/var/majlis.db" | tr '\n' ' '
echo
# Each run once to warm the page cache, then measured.
run() {
	label=$1
	shift
	/usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/run.out"
	set -- $(cat "$T/time")
	echo "$label $1 $2"
}
m report tableau-de-bord -o "$T/warm.xlsx" >/dev/null
majlis_d=$(run majlis "$MAJLIS" -C "$T/var" --now "$NOW" report tableau-de-bord -o "$T/m-dash.xlsx")
rows_d=$(sed 's/.*: \([0-9]*\) rows.*/\1/' "$T/run.out")
py_d=$(run openpyxl /usr/bin/python3 bench/_report_python.py "$T/var/majlis.db" reports tableau-de-bord "$T/p-dash.xlsx" "$NOW")
majlis_e=$(run majlis "$MAJLIS" -C "$T/var" --now "$NOW" report notifications -o "$T/m-etat.xlsx")
rows_e=$(sed 's/.*: \([0-9]*\) rows.*/\1/' "$T/run.out")
py_e=$(run openpyxl /usr/bin/python3 bench/_report_python.py "$T/var/majlis.db" reports notifications "$T/p-etat.xlsx" "$NOW")
python3 - "$rows_d" "$majlis_d" "$py_d" "$rows_e" "$majlis_e" "$py_e" <<'PY'
import sys
rows_d, md, pd, rows_e, me, pe = sys.argv[1:7]
def show(what, rows, m, p):
    _, ms, mk = m.split()
    _, ps, pk = p.split()
    print(f"{what}: {rows} rows (French and Arabic sheets)")
    print(f"  majlis    {float(ms):6.2f} s  {int(mk) // 1024:5d} MB")
    print(f"  openpyxl  {float(ps):6.2f} s  {int(pk) // 1024:5d} MB")
    print(f"  ratio     {float(ps) / float(ms):6.1f}x faster, "
          f"{int(pk) / int(mk):.1f}x less memory")
show("dashboard", rows_d, md, pd)
show("état (notifications)", rows_e, me, pe)
PY
echo "majlis's memory as the état grows:"
for p in 2026-01-01..2026-03-31 2026-01-01..2026-06-30 all; do
	r=$(run majlis "$MAJLIS" -C "$T/var" --now "$NOW" report notifications --period "$p" -o "$T/m-p.xlsx")
	rows=$(sed 's/.*: \([0-9]*\) rows.*/\1/' "$T/run.out")
	set -- $r
	printf '  %7s rows  %6.2f s  %4d MB\n' "$rows" "$2" $(($3 / 1024))
done
