#!/bin/sh
# Outgoing mail: build and submit COUNT (10,000) personalised invitations,
# each with the convocation PDF and an iCalendar REQUEST, to a real
# Postfix on loopback (tests/mail/start.sh), first with majlis
# (build/bench/outbox), then the same with Python's email, icalendar and
# smtplib; prints messages per second and peak memory of each, and the
# ratios. Run from the top of the tree as root (make bench).
set -eu
: "${MAJLIS:=build/majlis}"
: "${BUILD:=build}"
COUNT=${COUNT:-10000}
T=$(mktemp -d /tmp/majlis-bench-XXXXXX)
chmod 755 "$T"
trap 'sh tests/mail/stop.sh "$T/mail" >/dev/null 2>&1 || true; rm -rf "$T"' EXIT

"$MAJLIS" -C "$T/var" init --demo >/dev/null
"$MAJLIS" -C "$T/var" run >/dev/null
sh tests/mail/start.sh "$T/mail" >/dev/null
# shellcheck disable=SC1091
. "$T/mail/env"

"$BUILD/bench/outbox" "$T/var" "$COUNT" "$SMTP_PORT" | tee "$T/majlis.out"
reg=$("$MAJLIS" -C "$T/var" archive list --kind convocation --json |
	python3 -c 'import json,sys; print([json.loads(l)["register_no"] for l in sys.stdin][-1])')
"$MAJLIS" -C "$T/var" archive get "$reg" -o "$T/conv.pdf"
/usr/bin/python3 bench/_outbox_python.py "$T/conv.pdf" "$COUNT" "$SMTP_PORT" |
	tee "$T/python.out"
python3 - "$T/majlis.out" "$T/python.out" <<'PY'
import re, sys
m, p = (open(f).read() for f in sys.argv[1:3])
mb = float(re.search(r"queued: .* ([0-9]+) a second", m).group(1))
ms = float(re.search(r"SMTP: .* ([0-9]+) a second", m).group(1))
pb = float(re.search(r"built .* ([0-9]+) a second", p).group(1))
ps = float(re.search(r"submitted .* ([0-9]+) a second", p).group(1))
print(f"ratio, majlis to Python: building {mb / pb:.1f}x, submitting {ms / ps:.1f}x")
PY
