#!/bin/sh
# Runs the cmocka unit test binaries given as arguments, from the
# repository's root; fails if any fails. A binary still running after
# UNIT_TIMEOUT seconds (600) has hung: it fails, and the rest still run.
set -u
failed=0
for t in "$@"; do
	if ! timeout "${UNIT_TIMEOUT:-600}" "$t"; then
		echo "FAILED: $t" >&2
		failed=1
	fi
done
exit $failed
