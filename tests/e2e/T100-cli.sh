#!/bin/sh
# The command line: help everywhere, sysexits codes for every misuse.
. tests/e2e/lib.sh

expect 64 "no command is a usage error" "$MAJLIS"
has "$T/err" "usage: majlis" && ok "usage printed to stderr" || not_ok "usage"
expect 0 "--help" "$MAJLIS" --help
has "$T/out" "holidays" && ok "--help lists the commands" || not_ok "--help"
for c in init import show run event holidays check audit help version; do
	expect 0 "$c --help" "$MAJLIS" "$c" --help
	has "$T/out" "usage: majlis" >/dev/null || has "$T/out" "majlis" ||
		not_ok "$c --help prints its usage"
done
expect 0 "help run" "$MAJLIS" help run
has "$T/out" "code 75" && ok "help run explains exit 75" || not_ok "help run"
expect 0 "version" "$MAJLIS" version
expect 64 "unknown command" "$MAJLIS" frobnicate
has "$T/err" "'frobnicate' is not a command" && ok "says which" || not_ok "msg"
expect 64 "bad --now" "$MAJLIS" --now yesterday holidays
has "$T/err" "--now 'yesterday' is not a time" && ok "names the bad time" ||
	not_ok "bad --now message"
expect 64 "-C without a value" "$MAJLIS" -C
expect 66 "show without an instance" "$MAJLIS" -C "$T/nowhere" show
has "$T/err" "no majlis instance in" && ok "explains how to create one" ||
	not_ok "no instance message"
expect 64 "holidays with a bad year" "$MAJLIS" holidays 19x6
expect 0 "init" m init
expect 64 "import without a file" m import orgchart
expect 64 "import of something unknown" m import budget x.csv
# Global options after the command.
expect 0 "--json after the command" "$MAJLIS" holidays 2026 --json
check "one JSON object a line" test "$(json 'len(L)')" -ge 15
done_testing
