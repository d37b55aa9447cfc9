# lib.sh - shared by the end-to-end tests: a throwaway folder, the
# majlis binary on an instance in it, TAP output, and small checks.
#
#   . tests/e2e/lib.sh
#   m init --demo              # majlis -C $T/var ...
#   expect 65 "refused" m event ...
#   check "label" test ...
#   done_testing
set -u
: "${MAJLIS:?set MAJLIS to the majlis binary}"
T=$(mktemp -d /tmp/majlis-e2e-XXXXXX)
trap 'rm -rf "$T"' EXIT
NOW=${NOW:-2026-11-29T09:00}
n=0
failed=0

m() {
	"$MAJLIS" -C "$T/var" --now "$NOW" "$@"
}

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failed=1
}

# check LABEL COMMAND...: ok if the command succeeds.
check() {
	label=$1
	shift
	if "$@"; then ok "$label"; else not_ok "$label"; fi
}

# expect CODE LABEL COMMAND...: runs the command, output in $T/out and
# $T/err, ok if it exits with CODE.
expect() {
	want=$1
	label=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$label"
	else
		not_ok "$label (exit $got, wanted $want)"
		sed 's/^/#   /' "$T/err" | head -20
	fi
}

# has FILE TEXT: the file contains the text.
has() {
	if grep -qF -- "$2" "$1"; then return 0; fi
	echo "# '$2' not found in $1:"
	sed 's/^/#   /' "$1" | head -20
	return 1
}

# sql QUERY: one query on the instance's store, without majlis.
sql() {
	sqlite3 "$T/var/majlis.db" "$1"
}

# dump: the whole store as SQL text, for before/after comparisons.
dump() {
	sqlite3 "$T/var/majlis.db" .dump
}

# json EXPR: evaluates a Python expression over the JSON lines of $T/out
# (as the list L); prints its value.
json() {
	python3 -c "
import json, sys
L = [json.loads(l) for l in open('$T/out', encoding='utf-8') if l.strip()]
print($1)"
}

done_testing() {
	echo "1..$n"
	exit $failed
}
