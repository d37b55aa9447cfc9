#!/bin/sh
# Runs the cmocka unit test binaries given as arguments, from the
# repository's root; fails if any fails.
set -u
failed=0
for t in "$@"; do
	if ! "$t"; then
		echo "FAILED: $t" >&2
		failed=1
	fi
done
exit $failed
