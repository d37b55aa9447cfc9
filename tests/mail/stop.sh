#!/bin/sh
# stop.sh DIR - stops the mail servers tests/mail/start.sh DIR started,
# each by the pid its master wrote under DIR, and returns once they are
# gone and no one listens on their ports any more, so that the next test
# run may take them. Does nothing for a server that is not running; the
# folder stays as it is (start.sh DIR starts them again on it). Exit
# status 1 if a server or a port outlives MAIL_STOP_TIMEOUT (seconds,
# default 20).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
TIMEOUT=${MAIL_STOP_TIMEOUT:-20}

[ $# -eq 1 ] || {
	echo "usage: tests/mail/stop.sh DIR" >&2
	exit 1
}
[ -d "$1" ] || exit 0
DIR=$(cd "$1" && pwd)
. "$here/common.sh"

# Both masters at once. `postfix stop` would poll in steps of a second, so
# the Postfix master gets its TERM directly, as `postfix abort` does; it
# takes its children with it. Dovecot's master closes its listeners at
# once, then gives its log process a second before it exits.
masters=
if postfix_pid; then
	masters="$masters $pid"
	kill -TERM "$pid" 2>/dev/null || true
fi
if dovecot_pid; then
	masters="$masters $pid"
	kill -TERM "$pid" 2>/dev/null || true
fi

status=0
i=0
while :; do
	left=
	for p in $masters; do
		running "$p" && left="$left $p"
	done
	[ -z "$left" ] && break
	i=$((i + 1))
	if [ $i -gt $((TIMEOUT * 20)) ]; then
		echo "mail/stop: still running after $TIMEOUT s, killing:$left" >&2
		kill -KILL $left 2>/dev/null || true
		status=1
		break
	fi
	sleep 0.05
done
if [ -s "$DIR/ports" ]; then
	# shellcheck disable=SC2046
	"$PY" "$here/ports.py" free "$TIMEOUT" $(cat "$DIR/ports") || status=1
fi
exit $status
