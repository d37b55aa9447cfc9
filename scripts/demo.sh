#!/bin/sh
# make demo: a fresh ./var demo instance, one tick, and where to look.
set -eu
bin=${1:-build/majlis}

rm -rf var
"$bin" -C var init --demo
# The local authority's representative, from the card a civil servant's
# phone shared, proposed for the next sitting and invited.
"$bin" -C var contact add --meeting 4 --as F001 examples/contact.vcf >/dev/null
"$bin" -C var event contact 1 invite --as F001 --set given_ar=عمر --set family_ar=لحلو >/dev/null
"$bin" -C var run
"$bin" -C var digest --force
# Some of them answer by mail, as their clients write (French, Arabic,
# a calendar's Accept, a receipt), with a bounce, an out-of-office, an
# unclear answer, a forgery and a broken message among them: the next
# tick reads the inbox and acts on what it may.
/usr/bin/python3 scripts/mail-replies.py var/majlis.db tests/corpus/intake \
	var/mail/inbox/new var/out/replies.tsv gmail-fr-accept.eml \
	gmail-ar-decline.eml imip-google-accept.eml outlook-ar-approve.eml \
	applemail-fr-return.eml mdn-thunderbird.eml dsn-postfix.eml \
	autoreply-fr.eml android-ambiguous.eml forgery-display-name.eml \
	hostile-nul-header.eml
"$bin" -C var run >/dev/null
echo
"$bin" -C var show
echo
"$bin" -C var show inmail
echo
"$bin" -C var archive list
# The minutes of the last sitting, for a person to open.
pv=$("$bin" -C var archive list --kind pv --json | python3 -c '
import json, sys
print([json.loads(l)["register_no"] for l in sys.stdin][-1])')
mkdir -p var/out
"$bin" -C var archive get "$pv" -o "var/out/$pv.pdf"
"$bin" -C var archive get "$pv" --format docx -o "var/out/$pv.docx"
# What management reads: the tick rebuilt the dashboard
# (var/out/tableau-de-bord.xlsx); the états of the Commune as PDF, and
# the month of the coming session.
for r in sessions attendance dossiers decisions petitions; do
	"$bin" -C var report "$r" --format pdf >/dev/null
done
"$bin" -C var report dossiers --format csv >/dev/null
"$bin" -C var agenda month 2027-02 >/dev/null
"$bin" -C var agenda month 2027-02 --format ics >/dev/null
inv=$("$bin" -C var show invitations 4 --json | python3 -c '
import json, sys
print(next(r["id"] for r in map(json.loads, sys.stdin) if r["person"] == "E0002"))')
cat <<MSG

The demo Commune de Casablanca is in ./var (majlis.conf, majlis.db,
mail/, archive/, out/). The minutes of its last sitting, in Arabic then
French, are in var/out/$pv.pdf (and .docx). Management's dashboard is
var/out/tableau-de-bord.xlsx, the états are var/out/*.pdf, and the
month of the February session var/out/agenda-month-2027-02.pdf.
Look around:

  ./majlis show meetings              the sessions' meetings and their states
  ./majlis show meeting 4             the next meeting, its agenda and invitations
  ./majlis show orgchart CC-BUREAU    the bureau of the council, in both languages
  ./majlis show dossiers --late       dossiers past their due date
  ./majlis show notifications E0001   what the president was told
  ./majlis show contacts              guests proposed from phone contacts (vCards)
  ./majlis show inmail                the mail that came in, and what was done with it
  ./majlis show invitations 4         who answered, by mail or from their calendar
  ./majlis digest --preview E0001     the president's digest of today (all: var/mail/outbox)
  ./majlis audit meeting 4            the history of a meeting, with causes
  ./majlis archive list               the documents issued, by register number
  ./majlis archive search مجلس         in the archive, in Arabic or French
  ./majlis render attestation E0012 --lang ar -o att.pdf
                                      issue an attestation (and file it)
  ./majlis holidays                   this year's holidays, Gregorian and Hijri
  ./majlis report --list              the reports and dashboards of reports/
  ./majlis report dossiers --body CASA --format pdf
                                      an état of the Commune's dossiers
  ./majlis agenda week 2027-02-01 --for E0001
                                      the president's week, as PDF
  ./majlis event invitation $inv accept --as E0002
                                      answer the invitation as the élu E0002
  ./majlis run                        the next tick (cron or the systemd timer)
MSG
