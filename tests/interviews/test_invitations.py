"""Interview e-mail through a real SMTP server: scheduling, moving and cancelling an interview
tell the candidate and each interviewer, each with an .ics that calendars read as one event (same
UID, SEQUENCE going up, METHOD:CANCEL at the end); a missing address never stops the scheduling.
Sending a take-home e-mails the candidate their link, which opens their take-home."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar

from core.events.models import Event
from hiring.models import Message
from interviews.services.interviews import (
    interview_cancel,
    interview_reschedule,
    interview_schedule,
)
from interviews.services.takehomes import takehome_assign
from tests.hiring.factories import CandidateFactory, UserFactory
from tests.interviews.factories import (
    application_for,
    interviewer,
    recruiter,
    seeded_kit,
    seeded_template,
)
from tests.smtp import parts

pytestmark = pytest.mark.django_db

WHEN = datetime(2031, 5, 6, 9, 30, tzinfo=UTC)


def _by_recipient(smtp: Any) -> dict[str, Any]:
    return {
        rcpt[0]: message
        for rcpt, message in zip(smtp.recorder.recipients, smtp.received, strict=True)
    }


def _event(message: Any) -> tuple[Calendar, Any]:
    calendar = Calendar.from_ical(parts(message)["attachments"]["interview.ics"])
    [event] = calendar.walk("VEVENT")
    return calendar, event


def _schedule(capture: Any, *, application: Any = None, people: Any = None) -> Any:
    application = application or application_for("ml-engineer", email="ada@example.org")
    people = (
        people
        if people is not None
        else [
            interviewer(username="grace", email="grace@example.org", first_name="Grace"),
            interviewer(username="alan", email="alan@example.org"),
        ]
    )
    with capture(execute=True):
        return interview_schedule(
            application=application,
            kit=seeded_kit("ml-engineer", "pair-debugging"),
            scheduled_at=WHEN,
            duration_minutes=45,
            interviewers=people,
            by=recruiter(),
        )


def test_scheduling_invites_the_candidate_and_each_interviewer_with_a_calendar_request(
    smtp, django_capture_on_commit_callbacks
):
    interview = _schedule(django_capture_on_commit_callbacks)

    received = _by_recipient(smtp)
    assert set(received) == {"ada@example.org", "grace@example.org", "alan@example.org"}

    candidate_mail = received["ada@example.org"]
    body = parts(candidate_mail)
    assert "Pair debugging" in candidate_mail["Subject"]
    assert "Tuesday 6 May 2031, 09:30 UTC" in body["text"]
    assert "45 minutes" in body["text"]
    assert "misbehaves" in body["text"]  # what the stage is about
    # nothing internal: no interviewer, no interviewer page, no kit or rubric
    for internal in ("grace", "alan", "/interviewer/", "rubric", "kit"):
        assert internal not in body["text"].lower()

    calendar, event = _event(candidate_mail)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == f"hirebar-interview-{interview.pk}@localhost"
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == WHEN
    assert event.decoded("DTEND") == WHEN + timedelta(minutes=45)
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:hiring@localhost"
    assert [str(a) for a in _attendees(event)] == ["mailto:ada@example.org"]

    grace = parts(received["grace@example.org"])
    assert "Hello Grace" in grace["text"]
    assert f"http://127.0.0.1:8000/interviewer/interviews/{interview.pk}/" in grace["text"]
    assert "Ada Lovelace" in grace["text"]
    _, grace_event = _event(received["grace@example.org"])
    assert str(grace_event["UID"]) == str(event["UID"])
    assert [str(a) for a in _attendees(grace_event)] == ["mailto:grace@example.org"]
    assert "Ada" not in str(grace_event["SUMMARY"])  # the calendar entry names only the kit

    log = Message.objects.filter(candidate=interview.application.candidate)
    assert log.count() == 3
    assert set(log.values_list("status", flat=True)) == {Message.Status.SENT}
    assert set(log.values_list("concerns", flat=True)) == {f"interview:{interview.pk}"}


def _attendees(event: Any) -> list[Any]:
    value = event.get("ATTENDEE")
    return value if isinstance(value, list) else [value]


def test_moving_and_cancelling_update_the_same_calendar_event(
    smtp, django_capture_on_commit_callbacks
):
    interview = _schedule(django_capture_on_commit_callbacks)
    smtp.received.clear()
    smtp.recorder.recipients.clear()

    # moved twice: SEQUENCE 1 then 2, same UID, the new time
    for sequence, hours in ((1, 2), (2, 5)):
        with django_capture_on_commit_callbacks(execute=True):
            interview_reschedule(interview=interview, scheduled_at=WHEN + timedelta(hours=hours))
        received = _by_recipient(smtp)
        assert set(received) == {"ada@example.org", "grace@example.org", "alan@example.org"}
        calendar, event = _event(received["ada@example.org"])
        assert str(calendar["METHOD"]) == "REQUEST"
        assert int(event["SEQUENCE"]) == sequence
        assert str(event["UID"]) == f"hirebar-interview-{interview.pk}@localhost"
        assert event.decoded("DTSTART") == WHEN + timedelta(hours=hours)
        if sequence == 1:
            text = parts(received["ada@example.org"])["text"]
            assert "Was: Tuesday 6 May 2031, 09:30 UTC" in text
            assert "Now: Tuesday 6 May 2031, 11:30 UTC" in text
        smtp.received.clear()
        smtp.recorder.recipients.clear()

    with django_capture_on_commit_callbacks(execute=True):
        interview_cancel(interview=interview, reason="The interviewer is ill.")
    received = _by_recipient(smtp)
    calendar, event = _event(received["alan@example.org"])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 3
    assert "The interviewer is ill." in parts(received["alan@example.org"])["text"]
    candidate_text = parts(received["ada@example.org"])["text"]
    assert "cancel" in candidate_text
    assert "is ill" not in candidate_text  # the internal reason is for the panel


def test_a_candidate_without_an_address_is_skipped_and_the_interview_history_says_so(
    smtp, django_capture_on_commit_callbacks
):
    application = application_for("ml-engineer")
    application.candidate.emails.all().delete()

    interview = _schedule(django_capture_on_commit_callbacks, application=application)

    assert interview.pk is not None
    assert set(_by_recipient(smtp)) == {"grace@example.org", "alan@example.org"}
    skipped = Event.objects.get(type="interview.invitation_skipped", object_id=str(interview.pk))
    assert skipped.data["reason"] == "The candidate has no e-mail address."


def test_interviewers_without_an_address_are_skipped(smtp, django_capture_on_commit_callbacks):
    people = [
        interviewer(username="noaddress", email=""),
        interviewer(username="x", email="x@example.org"),
    ]
    _schedule(django_capture_on_commit_callbacks, people=people)
    assert set(_by_recipient(smtp)) == {"ada@example.org", "x@example.org"}


def test_nothing_is_sent_when_the_scheduling_is_refused(smtp, django_capture_on_commit_callbacks):
    application = application_for("ml-engineer")
    with pytest.raises(Exception):  # noqa: B017, PT011  # the service's ValidationError
        _schedule(django_capture_on_commit_callbacks, application=application, people=[])
    assert smtp.received == []
    assert not Message.objects.exists()


def test_a_take_home_emails_the_candidate_a_link_that_opens_it(
    smtp, client, django_capture_on_commit_callbacks
):
    application = application_for("ml-engineer", email="ada@example.org")
    due = timezone.now() + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        created = takehome_assign(
            application=application, template=seeded_template("ml-engineer"), due_at=due
        )

    assert created.token  # still returned, for the recruiter
    [mail] = smtp.received
    text = parts(mail)["text"]
    link = f"http://127.0.0.1:8000/take-home/{created.token}/"
    assert link in text
    assert created.message is not None
    assert created.message.concerns == f"takehome:{created.assignment.pk}"
    page = client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    assert created.assignment.submission_code in page.content.decode()


def test_a_take_home_for_a_candidate_without_an_address_is_still_sent_by_hand(smtp):
    application = application_for("ml-engineer")
    application.candidate.emails.all().delete()
    created = takehome_assign(
        application=application,
        template=seeded_template("ml-engineer"),
        due_at=timezone.now() + timedelta(days=4),
    )
    assert created.token
    assert created.message is None
    assert not Message.objects.exists()


def test_messages_about_a_candidate_are_logged_on_that_candidate_only(
    smtp, django_capture_on_commit_callbacks
):
    other = CandidateFactory()
    _schedule(django_capture_on_commit_callbacks, people=[UserFactory(email="u@example.org")])
    assert not Message.objects.filter(candidate=other).exists()
