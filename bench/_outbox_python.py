#!/usr/bin/python3
"""The alternative for bench/outbox.sh: what a council platform in Python
would do to send the same invitations: the email package (MIME with the
same PDF and an iCalendar REQUEST from the icalendar package, Debian's
python3-icalendar) and smtplib over one connection.

    /usr/bin/python3 bench/_outbox_python.py PDF COUNT SMTP_PORT
"""
import datetime
import resource
import smtplib
import sys
import time
import uuid
from email.headerregistry import Address
from email.message import EmailMessage

import icalendar
from zoneinfo import ZoneInfo


def invitation(i, pdf):
    tz = ZoneInfo("Africa/Casablanca")
    token = uuid.uuid4().hex[:20]
    reply = f"conseil+t.{token}@casablanca.test"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//bench//python//FR")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    ev = icalendar.Event()
    ev.add("uid", "meeting-4@casablanca.test")
    ev.add("sequence", 0)
    ev.add("dtstamp", datetime.datetime.now(datetime.timezone.utc))
    ev.add("dtstart", datetime.datetime(2027, 2, 2, 10, 0, tzinfo=tz))
    ev.add("dtend", datetime.datetime(2027, 2, 2, 15, 0, tzinfo=tz))
    ev.add("summary", "الجلسة الأولى للدورة العادية لشهر فبراير 2027 — "
                      "Première séance de la session ordinaire de février 2027")
    ev.add("location", "قاعة المداولات — Salle des délibérations")
    org = icalendar.vCalAddress(f"mailto:{reply}")
    org.params["cn"] = "مجلس جماعة الدار البيضاء"
    ev.add("organizer", org)
    att = icalendar.vCalAddress(f"mailto:bench{i}@casablanca.test")
    att.params["cn"] = "السيدة كريمة بناني"
    att.params["rsvp"] = "TRUE"
    att.params["partstat"] = "NEEDS-ACTION"
    ev.add("attendee", att)
    for trigger in (datetime.timedelta(days=-1), datetime.timedelta(hours=-2)):
        al = icalendar.Alarm()
        al.add("action", "DISPLAY")
        al.add("trigger", trigger)
        al.add("description", "Séance")
        ev.add_component(al)
    cal.add_component(ev)
    ics = cal.to_ical()
    m = EmailMessage()
    m["From"] = Address("مجلس جماعة الدار البيضاء", "conseil",
                        "casablanca.test")
    m["To"] = Address("السيدة كريمة بناني", f"bench{i}", "casablanca.test")
    m["Reply-To"] = reply
    m["Subject"] = ("استدعاء: الجلسة الأولى للدورة العادية لشهر فبراير 2027"
                    " — Convocation : première séance")
    m["Message-ID"] = f"<inv.{token}@casablanca.test>"
    m["Auto-Submitted"] = "auto-generated"
    m.set_content("السيدة كريمة بناني،\nيشرفنا استدعاؤكم...\n\n"
                  "Madame Karima Bennani,\nVous êtes convoquée...\n")
    m.add_alternative("<p dir=\"rtl\">يشرفنا استدعاؤكم</p>"
                      "<p>Vous êtes convoquée</p>", subtype="html")
    m.add_alternative(ics, maintype="text", subtype="calendar",
                      params={"method": "REQUEST"})
    m.add_attachment(pdf, maintype="application", subtype="pdf",
                     filename="CONV-2026-0005.pdf")
    m.add_attachment(ics, maintype="application", subtype="ics",
                     filename="invitation.ics")
    return reply, f"bench{i}@casablanca.test", m.as_bytes()


def main():
    pdf = open(sys.argv[1], "rb").read()
    count, port = int(sys.argv[2]), int(sys.argv[3])
    t0 = time.monotonic()
    built = [invitation(i, pdf) for i in range(count)]
    t1 = time.monotonic()
    print(f"python: built {count} in {t1 - t0:.2f} s: "
          f"{count / (t1 - t0):.0f} a second")
    with smtplib.SMTP("127.0.0.1", port) as s:
        for sender, rcpt, raw in built:
            s.sendmail(sender, [rcpt], raw)
    t2 = time.monotonic()
    print(f"python: submitted {count} in {t2 - t1:.2f} s: "
          f"{count / (t2 - t1):.0f} a second")
    print(f"python: peak memory "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss} KiB")


if __name__ == "__main__":
    main()
