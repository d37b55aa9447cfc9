#!/usr/bin/env python3
"""Rendering documents: majlis against WeasyPrint, the HTML-to-PDF engine
a council platform would pick, on the same eight documents of the demo
Commune (the HTML majlis writes for each, for WeasyPrint).

For each tool: the time to make each bilingual PDF, one process per
document as a user runs them (best of ROUNDS), and how much of the
Arabic comes back out of the Arabic PDF in logical order (sentences of
the document's own text found verbatim by pdftotext).

    python3 bench/render.py [MAJLIS]

Needs weasyprint (Debian's package of that name) and pdftotext.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROUNDS = 3
NOW = "2026-11-29T10:00"
DOCS = [("convocation", "4"), ("agenda", "4"), ("pv", "1"), ("report", "3"),
        ("extract", "1"), ("petition-ack", "1"), ("petition-answer", "3"),
        ("attestation", "E0012")]
BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def best(cmd):
    times = []
    for _ in range(ROUNDS):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return min(times)


def flat(text):
    return " ".join(BIDI.sub("", text).split())


def pdftext(path):
    return flat(subprocess.run(["pdftotext", path, "-"], check=True,
                               capture_output=True, text=True).stdout)



def arabic_sentences(txt):
    """Arabic lines of the document's own text (majlis's txt), cut at
    the first digit or Latin letter, of four words or more."""
    out = []
    for line in txt.splitlines():
        line = flat(line)
        line = re.split("[0-9A-Za-z]", line)[0].strip(" ،.:")
        if re.search("[\u0600-\u06ff]", line) and len(line.split()) >= 4:
            out.append(line)
    return out


def main():
    majlis = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                             else "build/majlis")
    if not shutil.which("weasyprint"):
        print("weasyprint is not installed (apt-get install weasyprint)")
        return 1
    tmp = tempfile.mkdtemp(prefix="majlis-bench-")
    inst = os.path.join(tmp, "var")
    m = [majlis, "-C", inst, "--now", NOW]
    subprocess.run(m + ["init", "--demo"], check=True,
                   stdout=subprocess.DEVNULL)
    rows, tot_m, tot_w, found_m, found_w, total = [], 0, 0, 0, 0, 0
    for kind, key in DOCS:
        base = os.path.join(tmp, kind)
        pdf_m, html, pdf_w = base + ".pdf", base + ".html", base + "-wp.pdf"
        txt = base + ".txt"
        subprocess.run(m + ["render", kind, key, "--preview", "--format",
                            "html", "-o", html], check=True)
        subprocess.run(m + ["render", kind, key, "--preview", "--lang",
                            "ar", "--format", "txt", "-o", txt],
                       check=True)
        tm = best(m + ["render", kind, key, "--preview", "-o", pdf_m])
        tw = best(["weasyprint", html, pdf_w])
        # Reading back: the Arabic document from each.
        subprocess.run(m + ["render", kind, key, "--preview", "--lang",
                            "ar", "--format", "html", "-o", html],
                       check=True)
        subprocess.run(m + ["render", kind, key, "--preview", "--lang",
                            "ar", "-o", pdf_m], check=True)
        subprocess.run(["weasyprint", html, pdf_w], check=True,
                       stderr=subprocess.DEVNULL)
        sentences = arabic_sentences(open(txt, encoding="utf-8").read())
        got_m, got_w = pdftext(pdf_m), pdftext(pdf_w)
        fm = sum(s in got_m for s in sentences)
        fw = sum(s in got_w for s in sentences)
        rows.append((kind, tm, tw, fm, fw, len(sentences)))
        tot_m, tot_w = tot_m + tm, tot_w + tw
        found_m, found_w, total = found_m + fm, found_w + fw, \
            total + len(sentences)
    print(f"{'document':16} {'majlis':>9} {'WeasyPrint':>11} {'ratio':>6}"
          f"   Arabic read back: majlis, WeasyPrint")
    for kind, tm, tw, fm, fw, n in rows:
        print(f"{kind:16} {tm * 1000:7.0f}ms {tw * 1000:9.0f}ms "
              f"{tw / tm:5.1f}x   {fm}/{n}, {fw}/{n}")
    print(f"{'all eight':16} {tot_m * 1000:7.0f}ms {tot_w * 1000:9.0f}ms "
          f"{tot_w / tot_m:5.1f}x   {found_m}/{total}, {found_w}/{total}")
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
