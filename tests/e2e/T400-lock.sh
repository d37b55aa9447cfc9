#!/bin/sh
# Two ticks never run at once on one instance.
. tests/e2e/lib.sh

expect 0 "init --demo" m init --demo
dump >"$T/before"
# Hold the instance lock as a running tick would.
flock "$T/var/majlis.lock" sleep 3 &
holder=$!
sleep 0.5
expect 75 "a second tick exits with 75" m run
has "$T/err" "another majlis run is working on" && ok "says why" || not_ok "lock message"
dump >"$T/after"
check "and changes nothing" cmp -s "$T/before" "$T/after"
wait $holder
expect 0 "once the lock is free, the tick runs" m run
done_testing
