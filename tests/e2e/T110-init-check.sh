#!/bin/sh
# majlis init, and majlis check of the configuration and definitions:
# bad input is refused with file:line and leaves the store as it was.
. tests/e2e/lib.sh

expect 0 "init" m init
for p in majlis.conf majlis.db holidays.ini mailflows/README mail/inbox/new \
	mail/outbox/cur mail/quarantine/tmp archive out; do
	check "init made $p" test -e "$T/var/$p"
done
check "17 bodies" test "$(sql 'SELECT count(*) FROM body')" -eq 17
check "41 organizations" test "$(sql 'SELECT count(*) FROM organization')" -eq 41
check "schema version 8" test "$(sql 'PRAGMA user_version')" -eq 8
dump >"$T/before"
expect 73 "init never overwrites an instance" m init
has "$T/err" "already holds an instance" && ok "says why" || not_ok "msg"
dump >"$T/after"
check "store untouched by the second init" cmp -s "$T/before" "$T/after"

expect 0 "check" m check
has "$T/out" "configuration OK" && ok "configuration OK" || not_ok "check ok"
expect 0 "check --json" m check --json
check "check --json: 7 mailflows, all ok" \
	test "$(json "sum(1 for r in L if r['check'] == 'mailflow' and r['status'] == 'ok')")" -eq 7

# A typo in majlis.conf.
cp "$T/var/majlis.conf" "$T/conf.good"
printf '[instance]\nname = X\ntimezon = Africa/Casablanca\n' >"$T/var/majlis.conf"
expect 78 "check refuses an unknown key" m check
has "$T/err" "majlis.conf:3: unknown key 'timezon' in [instance]" &&
	ok "names file, line and key" || not_ok "config message"
expect 78 "run refuses to start" m run
printf '[instance]\ntimezone = Mars/Olympus\n' >"$T/var/majlis.conf"
expect 78 "an unknown time zone" m run
has "$T/err" "unknown time zone 'Mars/Olympus'" && ok "names it" || not_ok "tz"
cp "$T/conf.good" "$T/var/majlis.conf"

# A mistake in the instance's own mailflow.
sed 's/guard = before start -10d/guard = before starts -10d/' \
	mailflows/meeting.flow >"$T/var/mailflows/meeting.flow"
expect 65 "check refuses a bad mailflow" m check
has "$T/err" "mailflows/meeting.flow:49: guard 'before starts -10d': a meeting has no time 'starts'" &&
	ok "file:line: reason" || not_ok "mailflow message"
dump >"$T/before"
expect 65 "run refuses to start with a bad mailflow" m run
expect 65 "event too" m event meeting 1 convoke --as nobody
dump >"$T/after"
check "store unchanged" cmp -s "$T/before" "$T/after"
rm "$T/var/mailflows/meeting.flow"

# A mistake in the instance's holiday announcements.
printf '[hijri-months]\n1448-10 = 2027-13-10\n' >>"$T/var/holidays.ini"
expect 65 "check refuses a bad holiday line" m check
has "$T/err" "holidays.ini:18: expected 'YYYY-MM-DD'" &&
	ok "holidays file:line" || not_ok "holidays message"
expect 65 "run refuses too" m run
done_testing
