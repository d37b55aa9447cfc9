#!/bin/sh
# Every calendar majlis writes reads in libical and in Python's
# icalendar, with the fields a phone needs: each invitation's REQUEST
# (text/calendar and its .ics attachment), the updates after a change of
# date (SEQUENCE + 1), the CANCELs, and every person's feed. The checker
# (tests/tools/ics-check.c) is shown to refuse broken calendars first.
. tests/e2e/lib.sh

CHECK=${MAJLIS_TOOLS:-$(dirname "$MAJLIS")/tests}/ics-check
PY=/usr/bin/python3
if [ ! -x "$CHECK" ] || ! $PY -c 'import icalendar' 2>/dev/null; then
	not_ok "prerequisites: $CHECK (make check-e2e builds it) and python3-icalendar"
	done_testing
fi

# The checker fails where it should.
mkdir "$T/broken"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a\r\nSEQUENCE:0\r\nDTSTAMP:20261203T080000Z\r\nDTSTART;TZID=Africa/Casablanca:20270202T100000\r\nDTEND;TZID=Africa/Casablanca:20270202T150000\r\nSUMMARY:s\r\nLOCATION:l\r\nORGANIZER:mailto:o@x.ma\r\nATTENDEE;RSVP=TRUE:mailto:a@x.ma\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/broken/no-vtimezone.ics"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:not a time\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n' >"$T/broken/bad-time.ics"
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n' >"$T/broken/cancel-nothing.ics"
printf 'not a calendar\r\n' >"$T/broken/text.ics"
for f in "$T"/broken/*.ics; do
	if "$CHECK" "$f" >"$T/out"; then
		not_ok "the checker refuses $(basename "$f")"
	else
		ok "the checker refuses $(basename "$f"): $(sed 's/^bad [^:]*: //' "$T/out")"
	fi
done

NOW=2026-11-29T10:00
expect 0 "init --demo" m init --demo
expect 0 "tick" m run
expect 0 "meeting 5 convoked" m event meeting 5 convoke --as E0001
expect 0 "tick" m run
expect 0 "meeting 5 moved" m event meeting 5 reschedule --as E0001 --set starts_at=2027-02-04T15:00 --set ends_at=2027-02-04T18:00
expect 0 "meeting 6 cancelled" m event meeting 6 cancel --as F001
expect 0 "tick" m run

# Every calendar of every mail, and every feed.
mkdir "$T/ics"
$PY - "$T/var/mail/outbox" "$T/ics" <<'PY' >"$T/count"
import email, email.policy, glob, os, sys
box, out = sys.argv[1:3]
n = 0
for f in sorted(glob.glob(os.path.join(box, "new", "*")) + glob.glob(os.path.join(box, "cur", "*"))):
    m = email.message_from_bytes(open(f, "rb").read(), policy=email.policy.default)
    for k, p in enumerate(m.walk()):
        if p.get_content_type() in ("text/calendar", "application/ics"):
            n += 1
            open(os.path.join(out, f"{os.path.basename(f)}.{k}.ics"), "wb").write(p.get_payload(decode=True))
print(n)
PY
cp "$T"/var/out/calendars/*.ics "$T/ics/" 2>/dev/null
mails=$(cat "$T/count")
feeds=$(ls "$T/var/out/calendars" | wc -l)
echo "# $mails calendars in mails, $feeds feeds"
check "calendars in mails (two a mail) and feeds" test "$mails" -gt 1000 -a "$feeds" -gt 100

ls "$T"/ics/*.ics | xargs "$CHECK" >"$T/libical" 2>&1
check "every one reads in libical, with the fields it needs" test "$(grep -c '^bad' "$T/libical")" -eq 0
grep '^bad' "$T/libical" | head -5 | sed 's/^/# /'
check "requests, updates and cancellations among them" sh -c "
	grep -q ' REQUEST meeting-5@casablanca.ma 0\$' '$T/libical' &&
	grep -q ' REQUEST meeting-5@casablanca.ma 1\$' '$T/libical' &&
	grep -q ' CANCEL meeting-6@casablanca.ma ' '$T/libical' &&
	grep -q ' PUBLISH meeting-' '$T/libical'"

$PY - "$T/ics" <<'PY' >"$T/python" 2>&1
import glob, os, sys
import icalendar
bad = []
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.ics")))
for f in files:
    try:
        c = icalendar.Calendar.from_ical(open(f, "rb").read())
        method = str(c.get("METHOD", ""))
        tzids = {str(z["TZID"]) for z in c.walk("VTIMEZONE")}
        events = list(c.walk("VEVENT"))
        assert method in ("REQUEST", "CANCEL", "PUBLISH"), method
        assert events or method == "PUBLISH", "no VEVENT"
        for ev in events:
            for k in ("UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND",
                      "SUMMARY", "LOCATION", "ORGANIZER"):
                assert k in ev, f"no {k}"
            for k in ("DTSTART", "DTEND"):
                tz = ev[k].params.get("TZID")
                assert tz == "Africa/Casablanca" and tz in tzids, f"{k} zone {tz}"
                assert ev.decoded(k).utcoffset() is not None
            assert ev.decoded("DTEND") > ev.decoded("DTSTART")
            assert str(ev["ORGANIZER"]).startswith("mailto:")
            if method == "REQUEST":
                att = ev["ATTENDEE"]
                assert att.params.get("RSVP") == "TRUE", "RSVP"
                assert len(list(ev.walk("VALARM"))) == 2, "alarms"
                assert "+t." in str(ev["ORGANIZER"]), "no token in ORGANIZER"
            if method == "CANCEL":
                assert str(ev["STATUS"]) == "CANCELLED"
    except Exception as e:
        bad.append(f"{os.path.basename(f)}: {e!r}")
print(len(files), "read,", len(bad), "bad")
for b in bad[:5]:
    print(b)
PY
sed 's/^/# /' "$T/python" | head -6
check "every one reads in Python's icalendar, with the same fields" \
	sh -c "head -1 '$T/python' | grep -q ' read, 0 bad\$'"
done_testing
