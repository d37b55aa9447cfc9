#!/bin/sh
# Installs the Debian 12 packages majlis needs to build, run its demo and
# pass its tests. Run as root it installs what is missing with apt-get;
# otherwise it names exactly what to install. Called first by `make demo`
# and by `make check` (as `setup.sh check`, which adds what only the
# tests use) and `make bench` (`setup.sh bench`); does nothing when
# everything is there.
set -eu

PKGS="
gcc make pkg-config libc6-dev
libsqlite3-dev libicu-dev libinih-dev libjansson-dev libsodium-dev
libxml2-dev libcairo2-dev libpango1.0-dev libzip-dev
libetpan-dev libical-dev libxlsxwriter-dev
fonts-noto-core
sqlite3 python3 procps
"
# The tests read PDFs back (pdftotext, pdffonts, pdftoppm) and open the
# Word files with LibreOffice. They also start real mail servers of their
# own on loopback (tests/mail/: Dovecot and Postfix, each from a private
# config folder, never the system's), talk to them with swaks (its
# STARTTLS needs Net::SSLeay) and Python, and read calendar invitations
# with python3-icalendar.
if [ "${1:-}" = check ]; then
	PKGS="$PKGS libcmocka-dev poppler-utils unzip libreoffice-writer-nogui
dovecot-imapd dovecot-lmtpd postfix swaks libnet-ssleay-perl
python3-icalendar openssl ca-certificates
libreoffice-calc-nogui python3-openpyxl"
fi
# The benchmarks compare with WeasyPrint and openpyxl.
if [ "${1:-}" = bench ]; then
	PKGS="$PKGS poppler-utils weasyprint python3-openpyxl"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "setup: these Debian packages are missing:$missing" >&2
	echo "setup: install them as root with:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Packages that ship a service must not start a system instance of it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
case " $missing " in
*" postfix "*)
	# Postfix would replace the machine's own mail server (Debian's
	# mail servers conflict): not behind the user's back.
	mta=$(dpkg-query -S /usr/sbin/sendmail 2>/dev/null | cut -d: -f1)
	if [ -n "$mta" ]; then
		echo "setup: not installing postfix: it would replace this machine's mail server ($mta)" >&2
		echo "setup: the mail tests need it: 'apt-get install postfix' if that is fine" >&2
		missing=$(echo "$missing" | sed 's/ postfix / /; s/ postfix$//')
	else
		# Asked what kind of mail server this is: none. The system's
		# /etc/postfix then has no main.cf and no system instance can
		# run; the tests use their own configuration folders.
		echo "postfix postfix/main_mailer_type select No configuration" |
			debconf-set-selections
	fi ;;
esac
echo "setup: installing$missing"
apt-get install -y -q --no-install-recommends $missing >/dev/null ||
	{ apt-get update -q >/dev/null &&
	  apt-get install -y -q --no-install-recommends $missing >/dev/null; }
echo "setup: done"
