#!/bin/sh
# Runs every benchmark of bench/ (make bench). Each prints what it
# measured side by side with what a user would otherwise pick.
set -eu
here=$(dirname "$0")
for b in "$here"/*.py "$here"/*.sh; do
	case $(basename "$b") in
	_* | run.sh) continue ;;
	esac
	echo "== $(basename "$b")"
	case $b in
	*.py) python3 "$b" "${MAJLIS:-$here/../build/majlis}" ;;
	*.sh) sh "$b" ;;
	esac
done
