#!/bin/sh
# kill -9 in the middle of a tick, then another tick: the store is
# consistent and every job was done exactly once, exactly as if the tick
# had never been interrupted. First at chosen points (inside the
# transaction of the N-th job or event, and just after a commit), then at
# random moments, again and again on the same instance.
. tests/e2e/lib.sh

# What a tick's work leaves in the store, minus the ticks' own records.
signature() {
	for t in meeting agenda_item invitation notification job event \
		decision dossier petition task counter; do
		sqlite3 "$T/var/majlis.db" "SELECT * FROM $t ORDER BY 1"
	done
	sqlite3 "$T/var/majlis.db" "SELECT id, at, actor, object_kind,
		object_id, action, event, from_state, to_state, cause, detail
		FROM audit WHERE action <> 'tick' ORDER BY id"
}

consistent() {
	test "$(sql 'PRAGMA integrity_check')" = ok &&
	test "$(sql 'PRAGMA foreign_key_check' | wc -l)" -eq 0 &&
	test "$(sql "SELECT count(*) FROM job WHERE state = 'done'")" -eq \
		"$(sql "SELECT count(*) FROM audit WHERE action = 'job'")" &&
	test "$(sql "SELECT count(*) FROM event WHERE processed_at IS NOT NULL")" -eq \
		"$(sql "SELECT count(*) FROM audit WHERE cause LIKE 'event #%'")"
}

expect 0 "init --demo" m init --demo
cp -a "$T/var" "$T/pristine"
expect 0 "an uninterrupted tick, for reference" m run
signature >"$T/reference"
check "the reference tick did real work" \
	test "$(sql "SELECT count(*) FROM job WHERE state = 'done'")" -gt 500

for fault in job-commit:1 job-commit:77 job-commit:150 job-done:42 \
	event-commit:1 event-commit:100 event-commit:155; do
	rm -rf "$T/var"
	cp -a "$T/pristine" "$T/var"
	MAJLIS_FAULT=$fault "$MAJLIS" -C "$T/var" --now "$NOW" run \
		>"$T/out" 2>"$T/err"
	check "$fault: killed by SIGKILL" test $? -eq 137
	check "$fault: consistent after the kill" consistent
	expect 0 "$fault: the next tick runs" m run
	signature >"$T/sig"
	check "$fault: same store as an uninterrupted tick" \
		cmp -s "$T/reference" "$T/sig"
	check "$fault: every job done once" consistent
done

# Random kill -9, over and over, until a tick gets to its end.
rm -rf "$T/var"
cp -a "$T/pristine" "$T/var"
kills=$(python3 - "$MAJLIS" "$T/var" "$NOW" <<'PY'
import random, subprocess, sys, time
majlis, var, now = sys.argv[1:4]
random.seed(1234)
kills = 0
for _ in range(200):
    p = subprocess.Popen([majlis, "-C", var, "--now", now, "run"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0.002, 0.03))
    p.kill()
    rc = p.wait()
    if rc == 0:
        break
    if rc != -9:
        print("unexpected exit", rc, file=sys.stderr)
        sys.exit(1)
    kills += 1
print(kills)
PY
)
check "killed mid-tick at random moments ($kills times)" test "${kills:-0}" -ge 3
check "consistent after the kills" consistent
expect 0 "a last tick" m run
signature >"$T/sig"
check "same store as an uninterrupted tick" cmp -s "$T/reference" "$T/sig"
done_testing
