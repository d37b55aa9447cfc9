#!/bin/sh
# majlis holidays: the year's holidays with Gregorian and Hijri dates in
# French and Arabic, and an instance's announcement taking effect.
. tests/e2e/lib.sh

expect 0 "holidays 2025 --json" "$MAJLIS" holidays 2025 --json
check "Aïd Al-Fitr 1446 on 31 March 2025, as announced" \
	test "$(json "[(r['date'], r['status']) for r in L if r['code'] == 'eid-al-fitr'][0]")" = "('2025-03-31', 'official')"
check "with its Hijri date in both languages" \
	test "$(json "[r['hijri_fr'] + ' | ' + r['hijri_ar'] for r in L if r['code'] == 'eid-al-fitr'][0]")" = "1 Chaoual 1446 | 1 شوال 1446"
check "and its day in Arabic" \
	test "$(json "[r['day_ar'] for r in L if r['code'] == 'eid-al-fitr'][0]")" = "الاثنين 31 مارس 2025"
check "two days of Aïd Al-Adha" test "$(json "[r['date'] for r in L if r['code'] == 'eid-al-adha']")" = "['2025-06-07', '2025-06-08']"
check "no Aïd Al Wahda before 2026" test "$(json "sum(1 for r in L if r['code'] == 'unity-day')")" -eq 0
expect 0 "holidays 2026 (text)" "$MAJLIS" holidays 2026
has "$T/out" "عيد الوحدة" && ok "Aïd Al Wahda in 2026" || not_ok "unity day"
has "$T/out" "vendredi 20 mars 2026" && ok "French day names" || not_ok "fr days"
expect 64 "a year out of range" "$MAJLIS" holidays 1800

# An instance announces the start of Chaoual 1448.
expect 0 "init" m init
m holidays 2027 --json >"$T/out"
check "provisional before the announcement" \
	test "$(json "[(r['date'], r['status']) for r in L if r['code'] == 'eid-al-fitr'][0]")" = "('2027-03-09', 'provisional')"
printf '[hijri-months]\n1448-10 = 2027-03-10\n' >>"$T/var/holidays.ini"
m holidays 2027 --json >"$T/out"
check "official after it, a day later" \
	test "$(json "[(r['date'], r['status']) for r in L if r['code'] == 'eid-al-fitr'][0]")" = "('2027-03-10', 'official')"
done_testing
