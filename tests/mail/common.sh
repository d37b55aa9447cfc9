# common.sh - shared by tests/mail/start.sh and stop.sh (sourced, with
# $here set to tests/mail and $DIR to the servers' folder).

# Debian's interpreter: python3 may be a slow wrapper (pyenv) on PATH.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# running PID: the process exists and is not a zombie. PID 1 may take a
# while to reap the masters (they are daemons, its children): a zombie
# holds no port.
running() {
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

# pid_of FILE CWD: sets pid to the process whose pid FILE holds, if it
# runs and works in CWD (each master stays in its own folder under DIR):
# a stale pid file whose number went to another process names nothing.
pid_of() {
	pid=
	[ -s "$1" ] || return 1
	pid=$(tr -dc 0-9 <"$1")
	[ -n "$pid" ] && running "$pid" &&
		[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$2" ]
}

# postfix_pid, dovecot_pid: set pid to the running master of DIR.
postfix_pid() {
	pid_of "$DIR/postfix/queue/pid/master.pid" "$DIR/postfix/queue"
}
dovecot_pid() {
	pid_of "$DIR/dovecot/run/master.pid" "$DIR/dovecot/run"
}
