#!/usr/bin/python3
"""The alternative for bench/ingest.sh: Python's standard email parser
(policy=default) merely parsing every file of the Maildir, as a Python
intake would before it could decide anything.

    /usr/bin/python3 bench/_ingest_python.py DIR
"""
import email, email.policy, glob, os, resource, sys, time

files = sorted(glob.glob(os.path.join(sys.argv[1], "new", "*")))
t0 = time.monotonic()
for i, f in enumerate(files):
    with open(f, "rb") as fh:
        email.message_from_binary_file(fh, policy=email.policy.default)
    if (i + 1) % 5000 == 0:
        print(f"python: parsed {i + 1}, peak memory "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB")
t1 = time.monotonic()
print(f"python: parsed {len(files)} messages in {t1 - t0:.2f} s: "
      f"{len(files) / (t1 - t0):.0f} a second")
print(f"python: peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB")
