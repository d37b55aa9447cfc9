#!/usr/bin/python3
"""A year of Casablanca's activity for bench/report.sh, written straight
into the store of a demo instance (its 441 élus, 41 organs and 17
bodies): about 2,000 meetings with their agenda items and invitations
(attendance recorded for those held), the sessions of every council,
20,000 dossiers, decisions, petitions, tasks and 200,000 notifications,
half of them still waiting for an acknowledgement.

    /usr/bin/python3 bench/_report_make.py DB [SCALE]

SCALE (default 1) multiplies every count. Deterministic: the same
numbers every run.
"""
import random
import sqlite3
import sys

db = sqlite3.connect(sys.argv[1])
scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
rnd = random.Random(2026)
YEAR = 2026


def ts(day, hour=9, minute=0):
    """A UTC time text of day (0-364) of the year."""
    month_days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    m = 0
    while day >= month_days[m]:
        day -= month_days[m]
        m += 1
    return f"{YEAR}-{m + 1:02d}-{day + 1:02d}T{hour:02d}:{minute:02d}:00Z"


orgs = db.execute("SELECT id, kind, body_id FROM organization"
                  " WHERE kind != 'administration'").fetchall()
members = {}
for org, person in db.execute("SELECT organization_id, person_id FROM"
                              " membership"):
    members.setdefault(org, []).append(person)
staff = [r[0] for r in db.execute("SELECT id FROM person WHERE kind ="
                                  " 'fonctionnaire'")]
people = [r[0] for r in db.execute("SELECT id FROM person")]
bodies = [r[0] for r in db.execute("SELECT id FROM body")]

# Sessions: every council, three ordinary ones a year.
sessions = {}
for org, kind, body in orgs:
    if kind != "council":
        continue
    for month in (2, 5, 10):
        db.execute("INSERT INTO session(organization_id, kind, year, month,"
                   " title_fr, title_ar, opens_on) VALUES (?, 'ordinary', ?,"
                   " ?, ?, ?, ?)",
                   (org, YEAR, month, f"Session ordinaire {month}/{YEAR}",
                    f"الدورة العادية {month}/{YEAR}",
                    f"{YEAR}-{month:02d}-01"))
        sessions.setdefault(org, []).append((db.execute(
            "SELECT last_insert_rowid()").fetchone()[0], month))

# Meetings, their agenda items and invitations.
n_meetings = int(2000 * scale)
meeting_states = ["closed"] * 8 + ["held", "convoked", "draft",
                                   "postponed", "cancelled"]
item_states = ["voted"] * 5 + ["discussed", "postponed", "withdrawn",
                               "scheduled"]
invitations = []
items = []
for i in range(n_meetings):
    org, kind, body = orgs[i % len(orgs)]
    day = rnd.randrange(365)
    state = rnd.choice(meeting_states)
    session = None
    if kind == "council" and sessions.get(org):
        session, month = rnd.choice(sessions[org])
    db.execute("INSERT INTO meeting(session_id, organization_id, number,"
               " title_fr, title_ar, starts_at, ends_at, place_fr, place_ar,"
               " state, state_since, created_at) VALUES (?, ?, ?, ?, ?, ?, ?,"
               " ?, ?, ?, ?, ?)",
               (session, org, 1 + i % 3, f"Séance n° {i + 1}",
                f"الجلسة رقم {i + 1}", ts(day), ts(day, 13),
                "Salle des délibérations", "قاعة المداولات", state, ts(day),
                ts(max(day - 10, 0))))
    mid = db.execute("SELECT last_insert_rowid()").fetchone()[0]
    for n in range(1, 6):
        items.append((mid, n, f"Point {n} de la séance {i + 1}",
                      f"النقطة {n} من الجلسة {i + 1}", rnd.choice(item_states),
                      ts(day), ts(day)))
    held = state in ("held", "closed")
    for p in members.get(org, []):
        att = rnd.choices(["present", "excused", "absent"], [85, 8, 7])[0] \
            if held else None
        invitations.append((mid, p, att, "accepted" if held else "sent",
                            ts(day), ts(max(day - 10, 0))))
db.executemany("INSERT INTO agenda_item(meeting_id, number, title_fr,"
               " title_ar, state, state_since, created_at) VALUES (?, ?, ?, ?,"
               " ?, ?, ?)", items)
db.executemany("INSERT OR IGNORE INTO invitation(meeting_id, person_id,"
               " attendance, state, state_since, created_at) VALUES (?, ?, ?,"
               " ?, ?, ?)", invitations)

# Dossiers.
dossier_states = ["approved"] * 4 + ["rejected", "created", "in_review",
                                     "in_review", "returned"]
kinds = ["budget", "convention", "urbanisme", "marche", "subvention",
         "patrimoine", "personnel", "environnement"]
rows = []
for i in range(int(20000 * scale)):
    day = rnd.randrange(365)
    rows.append((f"DOS-{YEAR}-B{i + 1:05d}", rnd.choice(kinds),
                 f"Dossier n° {i + 1} : {rnd.choice(kinds)}",
                 f"الملف رقم {i + 1}", rnd.choice(bodies),
                 rnd.choice(staff + people[:60]),
                 ts(min(day + rnd.randrange(5, 60), 364)),
                 rnd.choice(dossier_states), ts(day), ts(day)))
db.executemany("INSERT INTO dossier(ref, kind, title_fr, title_ar, body_id,"
               " owner_id, due_at, state, state_since, created_at) VALUES"
               " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

# Decisions, petitions, tasks.
rows = []
for i in range(int(3000 * scale)):
    day = rnd.randrange(365)
    visa = rnd.choice(["pending", "granted", "granted", "refused",
                       "not_required"])
    rows.append((f"BENCH-DEL-{YEAR}-{i + 1:05d}", rnd.choice(bodies),
                 f"Délibération n° {i + 1}", f"مقرر رقم {i + 1}",
                 rnd.randrange(20, 120), rnd.randrange(0, 20),
                 rnd.randrange(0, 10), 1, ts(day), visa,
                 ts(min(day + 12, 364)) if visa == "granted" else None))
db.executemany("INSERT INTO decision(number, body_id, title_fr, title_ar,"
               " votes_for, votes_against, votes_abstain, adopted,"
               " decided_at, visa_state, visa_at) VALUES (?, ?, ?, ?, ?, ?,"
               " ?, ?, ?, ?, ?)", rows)
rows = []
for i in range(int(500 * scale)):
    day = rnd.randrange(365)
    rows.append((f"PET-{YEAR}-B{i + 1:04d}", rnd.choice(bodies),
                 rnd.choice(["citizens", "association"]),
                 f"Pétition n° {i + 1}", f"عريضة رقم {i + 1}",
                 "Mandataire", rnd.randrange(10, 2000), ts(day),
                 rnd.choice(["received", "under_review", "admitted",
                             "rejected", "scheduled", "answered"]),
                 ts(day), ts(day)))
db.executemany("INSERT INTO petition(ref, body_id, kind, title_fr, title_ar,"
               " lead_name, signatures, received_at, state, state_since,"
               " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
rows = []
for i in range(int(3000 * scale)):
    day = rnd.randrange(365)
    rows.append((f"Tâche n° {i + 1}", f"المهمة رقم {i + 1}",
                 rnd.choice(staff), ts(min(day + 14, 364)),
                 rnd.choice(["open", "done", "done"]), ts(day), ts(day)))
db.executemany("INSERT INTO task(title_fr, title_ar, assignee_id, due_at,"
               " state, state_since, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               rows)

# Notifications: half wait for an acknowledgement.
rows = []
for i in range(int(200000 * scale)):
    day = rnd.randrange(365)
    waiting = i % 2 == 0
    rows.append((rnd.choice(people), "dossier-submitted",
                 rnd.choice(["email", "inbox", "sms"]),
                 f"Dossier soumis à votre décision n° {i + 1}",
                 f"ملف معروض على قراركم رقم {i + 1}", ts(day, 8),
                 ts(min(day + 3, 364), 8) if waiting else None,
                 None if waiting else ts(day, 9)))
db.executemany("INSERT INTO notification(person_id, message, channel,"
               " subject_fr, subject_ar, created_at, ack_due_at,"
               " acknowledged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
db.commit()
for t in ("meeting", "agenda_item", "invitation", "dossier", "decision",
          "petition", "task", "notification"):
    print(f"{t}: {db.execute(f'SELECT count(*) FROM {t}').fetchone()[0]}")
