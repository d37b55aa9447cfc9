# mail.sh - real mail servers for the end-to-end tests, after lib.sh:
# Dovecot and Postfix on 127.0.0.1, started in $T/mail by
# tests/mail/start.sh and stopped when the test exits (or by mail_stop).
#
#   . tests/e2e/lib.sh
#   . tests/e2e/mail.sh
#   mail_start                    # exports SMTP_PORT, IMAP_PORT, ... (below)
#   mail_send elu1@casablanca.test conseil+t.TOKEN@casablanca.test msg.eml
#   mail_wait conseil 1           # at least 1 message within 10 s, else fails
#   mail_count catchall           # prints how many messages it holds
#   mail_header conseil -1 Subject
#   mail_body conseil             # the last message's text
#   mail_stop                     # a server going away (the EXIT trap stops
#   mail_start                    # them anyway); back with its mail and ports
#
# After mail_start, from $T/mail/env: SMTP_HOST, SMTP_PORT (delivery, no
# AUTH), SUBMISSION_PORT (STARTTLS + AUTH PLAIN/LOGIN), SUBMISSIONS_PORT
# (TLS + AUTH), IMAP_HOST, IMAP_PORT (plain and STARTTLS), IMAPS_PORT,
# LMTP_PORT, AUTH_PORT, MAIL_DOMAIN (casablanca.test), MAIL_OTHER_DOMAIN
# (example.test), MAIL_BOUNCE_DOMAIN (bounce.test), MAIL_USERS,
# MAIL_CA_CERT (verifies the servers as 127.0.0.1 or localhost), MAIL_DIR,
# MAIL_LOG_DIR, and for each user U: MAILDIR_U and PASSWORD_U (U-secret).
#
# Users: conseil (the engine's mailbox; conseil+anything@ lands there too,
# with "Delivered-To: conseil+anything@..."), elu1..elu5, staff1, staff2,
# catchall (any other local part of $MAIL_DOMAIN) and outside (any address
# of $MAIL_OTHER_DOMAIN). Any address of $MAIL_BOUNCE_DOMAIN is accepted,
# then bounced to the envelope sender (a real DSN). Any other domain is
# refused at RCPT, on every port: nothing leaves the machine.

MAIL_TOOLS=$(pwd)/tests/mail
# Debian's interpreter: python3 may be a slow wrapper (pyenv) on PATH.
MAIL_PY=/usr/bin/python3
[ -x "$MAIL_PY" ] || MAIL_PY=python3

# mail_start: starts the servers, sets and exports their variables, and
# stops them when the test exits (before lib.sh removes $T). A server that
# cannot start is a failed test, with its logs. After mail_stop, starts
# them again with their mail and, if still free, their ports.
mail_start() {
	# The daemons run as mail, dovecot and postfix: they must reach $T.
	chmod 755 "$T"
	if [ -z "${_mail_trapped:-}" ]; then
		# Keep lib.sh's EXIT trap: read it back (`trap` printed into
		# a file: dash prints nothing in $(trap)) and run it after
		# stopping.
		trap >"$T/.traps"
		_mail_prev_exit=
		_mail_grab() {
			[ "$3" = EXIT ] && _mail_prev_exit=$2
			return 0
		}
		eval "$(sed 's/^trap /_mail_grab /' "$T/.traps")"
		rm -f "$T/.traps"
		trap 'mail_stop; '"$_mail_prev_exit" EXIT
		# The EXIT trap runs on a signal only if the signal is trapped.
		trap 'exit 129' HUP
		trap 'exit 130' INT
		trap 'exit 143' TERM
		_mail_trapped=1
	fi
	if ! sh "$MAIL_TOOLS/start.sh" "$T/mail" >"$T/mail-start.out" 2>&1; then
		not_ok "mail servers start"
		sed 's/^/#   /' "$T/mail-start.out"
		done_testing
	fi
	set -a
	. "$T/mail/env"
	set +a
}

# mail_stop: stops the servers and waits until their ports are free.
mail_stop() {
	[ -d "$T/mail" ] || return 0
	sh "$MAIL_TOOLS/stop.sh" "$T/mail" >&2
}

# mail_dir USER: prints the user's Maildir.
mail_dir() {
	echo "$T/mail/maildirs/$1"
}

# mail_count USER: prints how many messages the user's Maildir holds.
mail_count() {
	"$MAIL_PY" "$MAIL_TOOLS/maildir.py" count "$(mail_dir "$1")"
}

# mail_wait USER N [SECONDS]: waits until the user has at least N
# messages (default 10 s); fails, saying what is there, otherwise.
mail_wait() {
	"$MAIL_PY" "$MAIL_TOOLS/maildir.py" wait "$(mail_dir "$1")" "$2" \
		-t "${3:-10}"
}

# mail_list USER: one line a message (number, folder, file, From, To,
# Subject).
mail_list() {
	"$MAIL_PY" "$MAIL_TOOLS/maildir.py" list "$(mail_dir "$1")"
}

# mail_header USER MSG NAME: the decoded values of one header field of a
# message (MSG from 1 in arrival order, -1 the last).
mail_header() {
	"$MAIL_PY" "$MAIL_TOOLS/maildir.py" header "$(mail_dir "$1")" "$2" "$3"
}

# mail_headers USER [MSG], mail_body USER [MSG], mail_raw USER [MSG],
# mail_parts USER [MSG], mail_part USER MSG N, mail_path USER [MSG],
# mail_find USER NAME TEXT: see tests/mail/maildir.py --help.
mail_headers() { _mail_read headers "$@"; }
mail_body() { _mail_read body "$@"; }
mail_raw() { _mail_read raw "$@"; }
mail_parts() { _mail_read parts "$@"; }
mail_part() { _mail_read part "$@"; }
mail_path() { _mail_read path "$@"; }
mail_find() { _mail_read find "$@"; }

_mail_read() {
	_mail_cmd=$1
	_mail_user=$2
	shift 2
	"$MAIL_PY" "$MAIL_TOOLS/maildir.py" "$_mail_cmd" "$(mail_dir "$_mail_user")" "$@"
}

# mail_send FROM TO FILE: hands the message in FILE (RFC 5322, LF or CRLF)
# to the delivery port, as another mail server would; fails if refused.
mail_send() {
	"$MAIL_PY" - "$1" "$2" "$3" <<'EOF'
import os, smtplib, sys
sender, rcpt, path = sys.argv[1:4]
data = open(path, "rb").read()
with smtplib.SMTP(os.environ["SMTP_HOST"], int(os.environ["SMTP_PORT"]),
                  local_hostname="client.test", timeout=10) as s:
    s.sendmail(sender, [rcpt], data)
EOF
}

# mail_majlis_conf PORT SECURITY [TIMEOUT]: points the instance of $T/var
# at the test servers as production would: its domain, [mail] over SMTP
# submission to 127.0.0.1:PORT (starttls, tls or none) as conseil with
# AUTH and the test CA, no quiet hours. Replaces every section from
# [mail] on, so that it can be called again with other settings.
mail_majlis_conf() {
	_port=$1 _security=$2 _timeout=${3:-30}
	sed -i '/^\[mail\]/,$d' "$T/var/majlis.conf"
	sed -i "s/^domain = .*/domain = $MAIL_DOMAIN/" "$T/var/majlis.conf"
	cat >>"$T/var/majlis.conf" <<EOF
[mail]
from = conseil@$MAIL_DOMAIN
name_fr = Conseil de la Commune de Casablanca
name_ar = مجلس جماعة الدار البيضاء
transport = smtp

[smtp]
host = 127.0.0.1
port = $_port
security = $_security
user = conseil
password = $PASSWORD_conseil
ca_file = $MAIL_CA_CERT
timeout = $_timeout

[notify]
quiet = none
EOF
}

# mail_majlis_people: the demo's addresses moved to the test domain
# (caught by the catch-all), the president (E0001, Arabic first) at
# elu1's mailbox and E0002 (French first) at elu2's.
mail_majlis_people() {
	sql "UPDATE person SET email = 'p' || id || '@$MAIL_DOMAIN' WHERE email IS NOT NULL"
	sql "UPDATE person SET email = 'elu1@$MAIL_DOMAIN', lang = 'ar' WHERE code = 'E0001'"
	sql "UPDATE person SET email = 'elu2@$MAIL_DOMAIN', lang = 'fr' WHERE code = 'E0002'"
}
