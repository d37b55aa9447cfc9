#!/bin/sh
# start.sh DIR - starts real mail servers for the tests, on 127.0.0.1 only,
# everything under DIR, as root:
#
#   Dovecot  IMAP (plain, STARTTLS) and IMAPS, LMTP, an auth listener
#   Postfix  SMTP for delivery, submission (STARTTLS + AUTH PLAIN/LOGIN
#            against Dovecot's users) and submissions (TLS from the start)
#
# Mail for the test domains goes over LMTP into Dovecot's Maildirs; mail
# for the bounce domain is accepted, then bounced to its sender; mail for
# any other domain is refused. Nothing is ever sent elsewhere. The ports
# are chosen free at random, never the standard ones.
#
# DIR is a new or empty folder, or one where start.sh ran before and
# stop.sh stopped the servers: they then come back with their mail, their
# queue and, when they are still free, their ports (a server that went
# away and came back). Writes DIR/env, a shell file with what a test
# needs (ports, users, passwords, Maildirs, CA certificate), and returns
# once every port greets as it should; on failure it stops what it
# started and prints the servers' logs. tests/mail/stop.sh DIR stops them.
#
#   DIR/env                  SMTP_PORT, IMAP_PORT, ... (see the end)
#   DIR/log/                 dovecot.log, postfix.log, start.log
#   DIR/maildirs/USER/       each user's Maildir (new/, cur/, tmp/)
#   DIR/ssl/                 ca.pem (a test CA), cert.pem + key.pem (server)
#   DIR/dovecot/, DIR/postfix/   their configuration, state and queue
#
# MAIL_START_TIMEOUT (seconds, default 30) bounds the wait.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"
DOMAIN=casablanca.test
OTHER_DOMAIN=example.test
BOUNCE_DOMAIN=bounce.test
# conseil is the engine's own mailbox; catchall gets any other local part
# of $DOMAIN, outside any local part of $OTHER_DOMAIN.
USERS="conseil elu1 elu2 elu3 elu4 elu5 staff1 staff2 catchall outside"
TIMEOUT=${MAIL_START_TIMEOUT:-30}

die() {
	echo "mail/start: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: tests/mail/start.sh DIR"
[ "$(id -u)" = 0 ] ||
	die "must run as root (Dovecot delivers as user mail, Postfix runs as postfix)"
for cmd in dovecot postfix openssl "$PY" script; do
	command -v "$cmd" >/dev/null 2>&1 ||
		die "'$cmd' not found: run 'sh scripts/setup.sh check' as root"
done
for u in mail dovecot dovenull postfix nobody; do
	id "$u" >/dev/null 2>&1 || die "no user '$u': are dovecot-core and postfix installed?"
done

mkdir -p "$1"
DIR=$(cd "$1" && pwd)
case $DIR in
*[!A-Za-z0-9._/-]*) die "'$DIR': only letters, digits and ._/- are supported in paths" ;;
esac
if [ -f "$DIR/.mail-servers" ]; then
	if postfix_pid || dovecot_pid; then
		die "the mail servers of '$DIR' are running (pid $pid): stop.sh first"
	fi
	fresh=
elif [ -z "$(ls -A "$DIR")" ]; then
	fresh=1
else
	die "'$DIR' is neither empty nor a folder of start.sh"
fi
# Dovecot and Postfix drop to mail, dovecot and postfix: they must be able
# to walk down to DIR (mktemp -d makes 0700 folders).
d=$(dirname "$DIR")
while :; do
	[ -n "$(find "$d" -maxdepth 0 -perm -001)" ] ||
		die "'$d' is not searchable by other users (chmod o+x '$d'): Dovecot and Postfix could not reach '$DIR'"
	[ "$d" = / ] && break
	d=$(dirname "$d")
done
chmod 755 "$DIR"
log=$DIR/log/start.log

password() {
	echo "$1-secret"
}

# setup: the folders, the users, the certificates, the routing. Once.
setup() {
	mkdir -p "$DIR/log" "$DIR/ssl" "$DIR/maildirs" \
		"$DIR/dovecot/run" "$DIR/dovecot/state" "$DIR/dovecot/index" \
		"$DIR/dovecot/control" "$DIR/dovecot/home" "$DIR/postfix/conf"
	: >"$log"
	: >"$DIR/log/dovecot.log"
	: >"$DIR/log/postfix.log"
	chown mail:mail "$DIR/dovecot/index" "$DIR/dovecot/control" \
		"$DIR/dovecot/home"

	# Postfix's queue and data folders, laid out as its postfix-files
	# says. Letting `postfix start` make them costs two seconds of
	# postconf calls; the quick-start marker (Postfix's own, see
	# `postfix quick-stop`) then skips those checks at each start. T700
	# runs `postfix check` on the result.
	q=$DIR/postfix/queue
	mkdir -m 755 "$q" "$q/pid"
	mkdir -m 700 "$DIR/postfix/data"
	chown postfix: "$DIR/postfix/data"
	for sub in active bounce corrupt defer deferred flush hold incoming \
		private saved trace; do
		mkdir -m 700 "$q/$sub"
		chown postfix "$q/$sub"
	done
	mkdir -m 730 "$q/maildrop"
	mkdir -m 710 "$q/public"
	chown postfix:postdrop "$q/maildrop" "$q/public"

	: >"$DIR/dovecot/passwd"
	for u in $USERS; do
		mkdir -p "$DIR/maildirs/$u/cur" "$DIR/maildirs/$u/new" \
			"$DIR/maildirs/$u/tmp"
		echo "$u:{PLAIN}$(password "$u")" >>"$DIR/dovecot/passwd"
	done
	chown -R mail:mail "$DIR/maildirs"
	chmod -R go-rwx "$DIR/maildirs"
	chmod 755 "$DIR/maildirs"
	chown root:dovecot "$DIR/dovecot/passwd"
	chmod 640 "$DIR/dovecot/passwd"

	# A test CA (self-signed) and a server certificate it signs, for
	# localhost, 127.0.0.1 and mx.$DOMAIN: a client can verify the
	# servers with DIR/ssl/ca.pem. Our own openssl config, not the
	# system's.
	cat >"$DIR/ssl/openssl.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
CN = majlis test
[ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,DNS:mx.$DOMAIN,IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
	(
		cd "$DIR/ssl"
		umask 077
		openssl req -x509 -config openssl.cnf -extensions ca \
			-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-days 30 -subj "/O=majlis tests/CN=majlis test CA" \
			-keyout ca-key.pem -out ca.pem
		openssl req -new -config openssl.cnf \
			-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
			-subj "/O=majlis tests/CN=localhost" \
			-keyout key.pem -out server.csr
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem \
			-set_serial 2 -days 30 -extfile openssl.cnf \
			-extensions server -out cert.pem
		chmod 644 ca.pem cert.pem
	) >>"$log" 2>&1 || {
		cat "$log" >&2
		die "could not make the test certificates"
	}

	# The mailboxes Postfix knows (any value will do: LMTP delivers by
	# address).
	: >"$DIR/postfix/conf/vmailbox"
	for u in $USERS; do
		case $u in
		outside) echo "$u@$OTHER_DOMAIN $u" ;;
		*) echo "$u@$DOMAIN $u" ;;
		esac >>"$DIR/postfix/conf/vmailbox"
	done
	echo "$BOUNCE_DOMAIN bounce-test:" >"$DIR/postfix/conf/transport"
	# Catch-alls. A regexp sees the whole address, extension included,
	# so the known users (user+anything too) are left out explicitly;
	# they then match vmailbox, which strips the extension.
	known=$(echo $USERS | sed 's/ outside//; s/ /|/g')
	re_domain=$(echo "$DOMAIN" | sed 's/\./\\./g')
	re_other=$(echo "$OTHER_DOMAIN" | sed 's/\./\\./g')
	cat >"$DIR/postfix/conf/virtual.regexp" <<EOF
if /@$re_domain\$/
!/^($known)(\+[^@]*)?@$re_domain\$/	catchall@$DOMAIN
endif
if /@$re_other\$/
!/^outside(\+[^@]*)?@$re_other\$/	outside@$OTHER_DOMAIN
endif
EOF
	touch "$DIR/.mail-servers"
}

# configure [PORT...]: writes both servers' configuration for these seven
# ports (SMTP, submission, submissions, IMAP, IMAPS, LMTP, auth), or for
# seven free ones.
configure() {
	# shellcheck disable=SC2046
	[ $# -eq 7 ] || set -- $("$PY" "$here/ports.py" pick 7)
	SMTP_PORT=$1 SUBMISSION_PORT=$2 SUBMISSIONS_PORT=$3
	IMAP_PORT=$4 IMAPS_PORT=$5 LMTP_PORT=$6 AUTH_PORT=$7
	# For stop.sh, and for the next start in this folder.
	echo "$*" >"$DIR/ports"
	for f in dovecot.conf:dovecot main.cf:postfix/conf master.cf:postfix/conf; do
		sed -e "s|@DIR@|$DIR|g" \
			-e "s|@INSTANCE@|majlis-test-$$|g" \
			-e "s|@DOMAINS@|$DOMAIN $OTHER_DOMAIN|g" \
			-e "s|@BOUNCE_DOMAIN@|$BOUNCE_DOMAIN|g" \
			-e "s|@DOMAIN@|$DOMAIN|g" \
			-e "s|@SMTP_PORT@|$SMTP_PORT|g" \
			-e "s|@SUBMISSION_PORT@|$SUBMISSION_PORT|g" \
			-e "s|@SUBMISSIONS_PORT@|$SUBMISSIONS_PORT|g" \
			-e "s|@IMAP_PORT@|$IMAP_PORT|g" \
			-e "s|@IMAPS_PORT@|$IMAPS_PORT|g" \
			-e "s|@LMTP_PORT@|$LMTP_PORT|g" \
			-e "s|@AUTH_PORT@|$AUTH_PORT|g" \
			"$here/${f%%:*}.in" >"$DIR/${f#*:}/${f%%:*}"
	done
	# Postfix waits until a configuration file written in the last
	# second or two has "cooled down" (0.3 s steps): these are complete.
	touch -t 200001010000 "$DIR"/postfix/conf/*
}

# ---- start, wait, and on failure tell why ---------------------------------------

show_logs() {
	for f in "$DIR/log/start.log" "$DIR/log/dovecot.log" "$DIR/log/postfix.log"; do
		echo "---- $f (last 40 lines)"
		tail -n 40 "$f"
	done >&2
}

# since_mark: what the logs got since mark.
mark() {
	marks="$(wc -c <"$log") $(wc -c <"$DIR/log/dovecot.log") $(wc -c <"$DIR/log/postfix.log")"
}
since_mark() {
	# shellcheck disable=SC2086
	set -- $marks
	tail -c +$(($1 + 1)) "$log"
	tail -c +$(($2 + 1)) "$DIR/log/dovecot.log"
	tail -c +$(($3 + 1)) "$DIR/log/postfix.log"
}

started() {
	# The daemons must not keep our stdout/stderr: a caller reading them
	# through a pipe would wait for ever.
	dovecot -c "$DIR/dovecot/dovecot.conf" \
		</dev/null >>"$log" 2>>"$DIR/log/dovecot.log" || {
		echo "mail/start: dovecot did not start" >>"$log"
		return 1
	}
	touch "$DIR/postfix/queue/quick-start"
	postfix -c "$DIR/postfix/conf" start </dev/null >>"$log" 2>&1 || {
		echo "mail/start: postfix did not start; postfix check says:" >>"$log"
		# Postfix prints its errors only to a terminal.
		script -qec "postfix -c '$DIR/postfix/conf' check" /dev/null \
			</dev/null >>"$log" 2>&1 || true
		return 1
	}
	"$PY" "$here/ports.py" wait "$TIMEOUT" \
		smtp:"$SMTP_PORT" smtp:"$SUBMISSION_PORT" smtps:"$SUBMISSIONS_PORT" \
		imap:"$IMAP_PORT" imaps:"$IMAPS_PORT" lmtp:"$LMTP_PORT" \
		tcp:"$AUTH_PORT" >>"$log" 2>&1
}

# stop_all: stops what started. The port check is skipped: a port that
# failed to bind belongs to someone else, and the masters' exit closes ours.
stop_all() {
	: >"$DIR/ports"
	sh "$here/stop.sh" "$DIR" >>"$log" 2>&1 || true
}

if [ -n "$fresh" ]; then
	setup
	configure
else
	echo "---- mail/start: again, $(date)" >>"$log"
	# shellcheck disable=SC2046
	if [ -s "$DIR/ports" ] && "$PY" "$here/ports.py" usable $(cat "$DIR/ports"); then
		configure $(cat "$DIR/ports")
	else
		configure
	fi
fi
attempt=1
while :; do
	mark
	started && break
	# Another test run may have taken a port between pick and bind.
	if [ $attempt -lt 3 ] && since_mark | grep -q 'Address already in use'; then
		echo "mail/start: a port was taken, again with others" >>"$log"
		stop_all
		configure
		attempt=$((attempt + 1))
		continue
	fi
	stop_all
	show_logs
	die "the mail servers did not come up (logs above, all in $DIR/log)"
done

# ---- what the tests need ----------------------------------------------------------

q() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

{
	echo "# Written by tests/mail/start.sh: the test mail servers in $DIR."
	echo "MAIL_DIR=$(q "$DIR")"
	echo "MAIL_DOMAIN=$DOMAIN"
	echo "MAIL_OTHER_DOMAIN=$OTHER_DOMAIN"
	echo "MAIL_BOUNCE_DOMAIN=$BOUNCE_DOMAIN"
	echo "MAIL_USERS=$(q "$USERS")"
	echo "MAIL_CA_CERT=$(q "$DIR/ssl/ca.pem")"
	echo "MAIL_LOG_DIR=$(q "$DIR/log")"
	echo "SMTP_HOST=127.0.0.1"
	echo "SMTP_PORT=$SMTP_PORT"
	echo "SUBMISSION_PORT=$SUBMISSION_PORT"
	echo "SUBMISSIONS_PORT=$SUBMISSIONS_PORT"
	echo "IMAP_HOST=127.0.0.1"
	echo "IMAP_PORT=$IMAP_PORT"
	echo "IMAPS_PORT=$IMAPS_PORT"
	echo "LMTP_PORT=$LMTP_PORT"
	echo "AUTH_PORT=$AUTH_PORT"
	for u in $USERS; do
		echo "MAILDIR_$u=$(q "$DIR/maildirs/$u")"
		echo "PASSWORD_$u=$(q "$(password "$u")")"
	done
} >"$DIR/env.tmp"
mv "$DIR/env.tmp" "$DIR/env"
