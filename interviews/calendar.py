"""The ``.ics`` attached to interview e-mails (RFC 5545 / iTIP, RFC 5546).

One event per interview, whatever the recipient: the UID is stable, so a calendar that accepted
the invitation updates the same entry when the interview moves (``METHOD:REQUEST`` with a higher
``SEQUENCE``) and removes it when it is cancelled (``METHOD:CANCEL``, ``STATUS:CANCELLED``).
Each recipient's file names only the organizer and that recipient as attendee: an interviewer's
address never reaches the candidate, nor the other way round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Literal

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

Method = Literal["REQUEST", "CANCEL"]
CONTENT_TYPE = "text/calendar"
FILENAME = "interview.ics"


def _from_address() -> tuple[str, str]:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return name, address or "hiring@localhost"


def interview_uid(interview_id: int) -> str:
    return f"hirebar-interview-{interview_id}@{_from_address()[1].rpartition('@')[2]}"


@dataclass(frozen=True)
class CalendarEvent:
    interview_id: int
    starts_at: datetime
    duration_minutes: int
    sequence: int  # 0 when scheduled, +1 for each move; a cancellation is one more
    summary: str
    description: str
    attendee: str  # the recipient's address
    url: str = ""


def interview_ics(*, event: CalendarEvent, method: Method) -> str:
    """The calendar file for one recipient. Times are in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//Hirebar//Interviews//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    entry = Event()
    entry.add("uid", interview_uid(event.interview_id))
    entry.add("dtstamp", timezone.now().astimezone(UTC))
    start = event.starts_at.astimezone(UTC)
    entry.add("dtstart", start)
    entry.add("dtend", start + timedelta(minutes=event.duration_minutes))
    entry.add("sequence", event.sequence)
    entry.add("summary", event.summary)
    entry.add("description", event.description)
    entry.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if event.url:
        entry.add("url", event.url)
    name, address = _from_address()
    organizer = vCalAddress(f"mailto:{address}")
    if name:
        organizer.params["cn"] = vText(name)
    entry["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{event.attendee}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    entry.add("attendee", attendee, encode=False)
    calendar.add_component(entry)
    ical: bytes = calendar.to_ical()
    return ical.decode()
