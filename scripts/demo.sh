#!/bin/sh
# make demo: a fresh ./var demo instance, one tick, and where to look.
set -eu
bin=${1:-build/majlis}

rm -rf var
"$bin" -C var init --demo
"$bin" -C var run
echo
"$bin" -C var show
inv=$("$bin" -C var show invitations 3 --json | python3 -c '
import json, sys
print(next(r["id"] for r in map(json.loads, sys.stdin) if r["person"] == "E0002"))')
cat <<MSG

The demo Commune de Casablanca is in ./var (majlis.conf, majlis.db,
mail/, archive/, out/). Look around:

  ./majlis show meetings              the sessions' meetings and their states
  ./majlis show meeting 3             the next meeting, its agenda and invitations
  ./majlis show orgchart CC-BUREAU    the bureau of the council, in both languages
  ./majlis show dossiers --late       dossiers past their due date
  ./majlis show notifications E0001   what the president was told
  ./majlis audit meeting 3            the history of a meeting, with causes
  ./majlis holidays                   this year's holidays, Gregorian and Hijri
  ./majlis event invitation $inv accept --as E0002
                                      answer the invitation as the élu E0002
  ./majlis run                        the next tick (cron or the systemd timer)
MSG
