#!/bin/sh
# Runs every benchmark of bench/ (make bench). Each prints what it
# measured side by side with what a user would otherwise pick.
set -eu
here=$(dirname "$0")
for b in "$here"/*.py; do
	echo "== $(basename "$b")"
	python3 "$b" "${MAJLIS:-$here/../build/majlis}"
done
