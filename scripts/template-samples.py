#!/usr/bin/env python3
"""Writes templates/samples/KIND.json: the data each kind of document is
rendered from, taken from a demo instance, as `majlis check` uses it to
find misspelt fields in templates, and as clerks read it to know which
fields there are.

Each sample merges several real objects of its kind, keeps lists short,
and turns every boolean on, so that a strict render over it visits every
section of a template: booleans in a sample may contradict each other.

    python3 scripts/template-samples.py [MAJLIS] [DIR]

MAJLIS is the binary (default ./majlis); DIR a demo instance made with
`majlis -C DIR --now 2026-11-29T10:00 init --demo` (made in a temporary
folder when not given). tests/e2e/T610-templates.sh checks that the
samples still have the shape of the data.
"""
import json
import os
import subprocess
import sys
import tempfile

# The objects each sample is made from, in the demo instance.
SOURCES = {
    "convocation": ["1", "4"],
    "agenda": ["1", "4"],
    "pv": ["1", "2"],
    "report": ["3"],
    "extract": ["1", "6"],
    "petition-ack": ["2", "1"],
    "petition-answer": ["3"],
    "attestation": ["E0148", "E0012"],
}
# The papers that are not filed: their data from other commands.
COMMANDS = {
    # One report each: the rows of two reports have different columns.
    "etat": [["report", "sessions", "--data"]],
    "calendrier": [["agenda", "month", "2027-01", "--data"]],
}
# An arrondissement's letterhead, so that the letterhead's own fields
# are checked too.
ARRONDISSEMENT_FROM = ("attestation", "E0148")
LIST_MAX = 3


def data(majlis, inst, kind, key):
    out = subprocess.run(
        [majlis, "-C", inst, "render", kind, key, "--data"],
        check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def command_data(majlis, inst, args):
    out = subprocess.run([majlis, "-C", inst] + args, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def keep_busy(sample):
    """An agenda's days and weeks cut short keep those with something
    in them, so that every section of the template is read."""
    def busy(day):
        return day.get("entries") or day.get("holidays")
    if "days" in sample:
        sample["days"] = [d for d in sample["days"] if busy(d)][:LIST_MAX]
    if "weeks" in sample:
        sample["weeks"] = [w for w in sample["weeks"]
                           if any(busy(d) for d in w["days"])][:2]
    return sample


def merge(a, b):
    """b's shape over a's: objects merged, the first non-empty value
    kept, lists of both (short)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for k, v in b.items():
            out[k] = merge(a[k], v) if k in a else v
        return out
    if isinstance(a, list) and isinstance(b, list):
        # Some of each, so that both kinds of element are in.
        return a[:LIST_MAX - 1] + b[:1] if b else a[:LIST_MAX]
    if a is None or a is False or a == "":
        return b
    return a


def enrich(v, key=None):
    """Every boolean true (except the blanks of tables of names), lists
    cut short; table rows keep all their cells."""
    if isinstance(v, dict):
        return {k: enrich(x, k) for k, x in v.items()}
    if isinstance(v, list):
        if key in ("cells", "columns", "days", "weekdays"):
            # Table rows keep all their cells; weeks all their days
            # (keep_busy() shortened the list of days itself).
            keep = v
        elif key and (key.endswith("_grid_fr") or key.endswith("_grid_ar")):
            keep = v[:1]
        else:
            keep = v[:LIST_MAX]
        return [enrich(x) for x in keep]
    if v is False and key != "blank":
        return True
    if isinstance(v, str) and len(v) > 160:
        return v[:160] + "…"
    return v


def main():
    majlis = sys.argv[1] if len(sys.argv) > 1 else "./majlis"
    inst = sys.argv[2] if len(sys.argv) > 2 else None
    tmp = None
    if inst is None:
        tmp = tempfile.TemporaryDirectory()
        inst = os.path.join(tmp.name, "demo")
        subprocess.run([majlis, "-C", inst, "--now", "2026-11-29T10:00",
                        "init", "--demo"], check=True,
                       capture_output=True)
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = os.path.join(here, "..", "templates", "samples")
    os.makedirs(out_dir, exist_ok=True)
    arr = data(majlis, inst, *ARRONDISSEMENT_FROM)["arrondissement"]
    made = [(kind, [data(majlis, inst, kind, key) for key in keys])
            for kind, keys in SOURCES.items()]
    made += [(kind, [keep_busy(command_data(majlis, inst, args))
                     for args in cmds])
             for kind, cmds in COMMANDS.items()]
    for kind, datas in made:
        sample = None
        for d in datas:
            sample = d if sample is None else merge(sample, d)
        if not sample.get("arrondissement"):
            sample["arrondissement"] = arr
        sample["register"] = sample.get("register") or "XXX-2026-0001"
        sample = enrich(sample)
        path = os.path.join(out_dir, kind + ".json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(sample, f, ensure_ascii=False, indent=2,
                      sort_keys=True)
            f.write("\n")
        print(path)


if __name__ == "__main__":
    main()
