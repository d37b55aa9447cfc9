#!/bin/sh
# Runs every end-to-end test (tests/e2e/T*.sh, TAP) against the binary in
# $MAJLIS; prints each test's lines and a summary; fails if any fails.
set -u
: "${MAJLIS:?set MAJLIS to the majlis binary}"
export MAJLIS
# fontconfig's own allocations, kept for the process's life: not ours.
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0}
export LSAN_OPTIONS
failed=0
total=0
for t in tests/e2e/T*.sh; do
	total=$((total + 1))
	out=$(sh "$t" 2>&1)
	rc=$?
	echo "# $t"
	echo "$out" | sed 's/^/  /'
	if [ $rc -ne 0 ] || echo "$out" | grep -q '^not ok'; then
		echo "FAILED: $t" >&2
		failed=$((failed + 1))
	fi
done
echo "e2e: $((total - failed))/$total test files passed"
[ $failed -eq 0 ]
