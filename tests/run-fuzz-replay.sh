#!/bin/sh
# Replays each fuzz target's saved corpus (seeds and past crashers) through
# its replay driver: a crash, a sanitizer report or a leak fails the check.
set -u
failed=0
for bin in "$@"; do
	name=$(basename "$bin" -replay)
	dir=tests/fuzz/corpus/$name
	if [ ! -d "$dir" ]; then
		echo "fuzz replay: no corpus for $name ($dir)" >&2
		failed=1
		continue
	fi
	if "$bin" "$dir"; then
		echo "ok - $name: $(ls "$dir" | wc -l) inputs replayed"
	else
		echo "not ok - $name" >&2
		failed=1
	fi
done
exit $failed
