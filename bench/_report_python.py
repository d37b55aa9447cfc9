#!/usr/bin/python3
"""The alternative for bench/report.sh: Python's openpyxl in write-only
mode (its constant-memory mode) writing the same rows as majlis: each
report's query run with sqlite3, sorted and grouped the same way, a
French and an Arabic sheet of its columns, dates as dates. It writes no
totals, colours, filters or charts, so it does a little less than
majlis does.

    /usr/bin/python3 bench/_report_python.py DB REPORTS NAME OUT.xlsx NOW

NAME is a report or a dashboard of the REPORTS folder; NOW the UTC time
the queries see (:now).
"""
import datetime
import os
import resource
import sqlite3
import sys
import time

import openpyxl

db_path, reports, name, out, now = sys.argv[1:6]


def read_def(path):
    """The sections of a definition file, in order: (kind, name, {key:
    [values]})."""
    sections = []
    for line in open(path, encoding="utf-8"):
        line = line.strip()
        if not line or line[0] in ";#":
            continue
        if line.startswith("["):
            kind, _, sname = line[1:-1].partition(" ")
            sections.append((kind, sname, {}))
        else:
            k, _, v = line.partition("=")
            sections[-1][2].setdefault(k.strip(), []).append(v.strip())
    return sections


def report_query(secs):
    head = secs[0][2]
    cols = [(n, s.get("field_fr", s.get("field", [n]))[0],
             s.get("field_ar", s.get("field_fr", s.get("field", [n])))[0],
             s.get("type", ["text"])[0], s["fr"][0], s["ar"][0])
            for k, n, s in secs if k == "column"]
    sql = "SELECT * FROM (" + "\n".join(head["query"]) + "\n)"
    keys = []
    if "group" in head:
        g = [c for c in cols if c[0] == head["group"][0]][0]
        keys.append('"%s"' % g[1])
    for s in head.get("sort", []):
        f, _, d = s.partition(" ")
        keys.append('"%s"%s' % (f, " DESC" if d == "desc" else ""))
    if keys:
        sql += " ORDER BY " + ", ".join(keys)
    return sql, cols, head["sheet_fr"][0], head["sheet_ar"][0]


def value(v, kind):
    if v is None:
        return None
    if kind in ("date", "datetime") and isinstance(v, str):
        if len(v) == 10:
            return datetime.datetime.strptime(v, "%Y-%m-%d")
        d = datetime.datetime.strptime(v, "%Y-%m-%dT%H:%M:%SZ")
        return d.date() if kind == "date" else d
    return v


t0 = time.monotonic()
db = sqlite3.connect(db_path)
db.row_factory = sqlite3.Row
nowdt = datetime.datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ")
params = {"from": "0000-01-01T00:00:00Z", "until": "9999-12-31T23:59:59Z",
          "from_date": "0000-01-01", "until_date": "9999-12-31",
          "body": None, "org": None, "now": now,
          "soon": (nowdt + datetime.timedelta(days=7)).strftime(
              "%Y-%m-%dT%H:%M:%SZ"),
          "today": nowdt.strftime("%Y-%m-%d")}
path = os.path.join(reports, name + ".report")
if os.path.exists(path):
    sheets = [(None, None, [name])]
else:
    secs = read_def(os.path.join(reports, name + ".dashboard"))
    sheets = [(s.get("fr", [None])[0], s.get("ar", [None])[0],
               s.get("report", [])) for k, n, s in secs if k == "sheet"]
wb = openpyxl.Workbook(write_only=True)
fr_sheets, ar_sheets, rows = [], [], 0
for fr, ar, names in sheets:
    if not names:
        continue
    defs = [report_query(read_def(os.path.join(reports, n + ".report")))
            for n in names]
    fr_ws = wb.create_sheet(fr or defs[0][2])
    fr_sheets.append((fr_ws, defs))
for fr, ar, names in sheets:
    if not names:
        continue
    defs = [report_query(read_def(os.path.join(reports, n + ".report")))
            for n in names]
    ar_ws = wb.create_sheet(ar or defs[0][3])
    ar_ws.sheet_view.rightToLeft = True
    ar_sheets.append((ar_ws, defs))
for lang, group in ((0, fr_sheets), (1, ar_sheets)):
    for ws, defs in group:
        for sql, cols, _, _ in defs:
            ws.append([c[5 if lang else 4] for c in cols])
            for r in db.execute(sql, params):
                ws.append([value(r[c[2 if lang else 1]], c[3])
                           for c in cols])
                if lang == 0:
                    rows += 1
            ws.append([])
wb.save(out)
t1 = time.monotonic()
print(f"openpyxl: {rows} rows in {t1 - t0:.2f} s, peak memory "
      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")
