#!/bin/sh
# Incoming mail: classify a Maildir of COUNT (20,000) messages, the mix
# intake meets (replies from every client, calendar answers, receipts,
# automatic replies, contact cards, forgeries, and one in three a real
# bounce of ../shared/corpus), with majlis (build/bench/ingest: MIME,
# charsets, bounces, calendars, what a reply says), then the same files
# merely parsed by Python's email (policy=default); prints messages per
# second and peak memory of each, and the ratio. Run from the top of the
# tree (make bench).
set -eu
: "${BUILD:=build}"
COUNT=${COUNT:-20000}
T=$(mktemp -d /tmp/majlis-bench-XXXXXX)
trap 'rm -rf "$T"' EXIT
/usr/bin/python3 bench/_ingest_make.py "$T/maildir" "$COUNT"
# Both read the files from the page cache, not the disk.
cat "$T"/maildir/new/* >/dev/null
"$BUILD/bench/ingest" "$T/maildir" | tee "$T/majlis.out"
/usr/bin/python3 bench/_ingest_python.py "$T/maildir" | tee "$T/python.out"
python3 - "$T/majlis.out" "$T/python.out" <<'PY'
import re, sys
m, p = (open(f).read() for f in sys.argv[1:3])
a = float(re.search(r"in [0-9.]+ s: ([0-9]+) a second", m).group(1))
b = float(re.search(r"in [0-9.]+ s: ([0-9]+) a second", p).group(1))
print(f"ratio, majlis classifying to Python parsing: {a / b:.1f}x")
PY
