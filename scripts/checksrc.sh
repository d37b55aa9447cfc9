#!/bin/sh
# Source checks that formatting cannot see: functions we do not use
# (unbounded copies, unchecked parsing), and a leading comment in every C
# file saying what it does.
set -u
status=0
files=$(find engine tests -name '*.c' -o -name '*.h' | sort)

banned='(^|[^_a-zA-Z0-9])(sprintf|vsprintf|strcpy|strcat|strncat|strncpy|strtok|gets|atoi|atol)[[:space:]]*\('
if grep -nE "$banned" $files; then
	echo "checksrc: banned function above (see STYLE: use buf, snprintf, parse_int)" >&2
	status=1
fi
for f in $files; do
	if ! head -1 "$f" | grep -q '^/\*'; then
		echo "checksrc: $f does not open with a comment" >&2
		status=1
	fi
done
# Outside libraries stay behind their module.
for lib in 'sqlite3.h:engine/store.c' 'unicode/:engine/clock.c engine/calendar.c engine/text.c' \
	'jansson.h:engine/flow.c engine/cli/output.c' 'ini.h>:engine/cli/config.c' \
	'xlsxwriter.h:engine/report-xlsx.c'; do
	pat=${lib%%:*}
	allowed=${lib#*:}
	for f in $(grep -l "#include <$pat" engine/*.c engine/cli/*.c 2>/dev/null); do
		case " $allowed " in
		*" $f "*) ;;
		*) echo "checksrc: $f includes <$pat>; only $allowed may" >&2
		   status=1 ;;
		esac
	done
done
[ $status -eq 0 ] && echo "checksrc: ok"
exit $status
