"""Interviews over the API, as in the admin (schedule with a length, cancel, reschedule), and the
interview, scorecard and verdict events they record (``core.events``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.events.models import Event
from interviews.models import Interview
from interviews.services.interviews import interview_cancel
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    interviewer,
    recruiter,
    seeded_kit,
)
from tests.interviews.test_scorecards import submit_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/interviews/"


def _schedule(api, **extra):  # type: ignore[no-untyped-def]
    application = application_for("ml-engineer")
    person = interviewer(username="ivy")
    when = timezone.now() + timedelta(days=2)
    body = {
        "application": application.pk,
        "kit": seeded_kit("ml-engineer").pk,
        "scheduled_at": when.isoformat(),
        "interviewers": [person.pk],
        **extra,
    }
    return api.as_user(recruiter()).post(URL, body, format="json"), application


def test_scheduling_records_interview_scheduled_with_its_length(api):
    response, application = _schedule(api, duration_minutes=45)

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["duration_minutes"], body["cancelled_at"]) == (45, None)
    event = Event.objects.get(type="interview.scheduled")
    assert event.object_id == str(body["id"])
    assert event.changes["duration_minutes"] == [None, 45]
    assert list(event.scopes.values_list("opening_id", flat=True)) == [application.opening_id]


@pytest.mark.parametrize("minutes", [0, 4, 481, "long"])
def test_a_length_out_of_range_is_a_400_and_schedules_nothing(api, minutes):
    response, _ = _schedule(api, duration_minutes=minutes)

    assert response.status_code == 400
    assert "duration_minutes" in response.json()
    assert not Interview.objects.exists()
    assert not Event.objects.exists()


def test_cancel_then_reschedule_is_refused_and_both_are_recorded(api):
    response, _ = _schedule(api)
    interview_id = response.json()["id"]
    client = api.as_user(recruiter())

    later = timezone.now() + timedelta(days=5)
    moved = client.post(
        f"{URL}{interview_id}/reschedule/", {"scheduled_at": later.isoformat()}, format="json"
    )
    cancelled = client.post(f"{URL}{interview_id}/cancel/", {"reason": "Candidate ill"})
    again = client.post(f"{URL}{interview_id}/cancel/", {}, format="json")
    late_move = client.post(
        f"{URL}{interview_id}/reschedule/", {"scheduled_at": later.isoformat()}, format="json"
    )

    assert moved.status_code == 200, moved.content
    assert cancelled.status_code == 200
    assert cancelled.json()["cancel_reason"] == "Candidate ill"
    assert (again.status_code, late_move.status_code) == (400, 400)
    types = list(
        Event.objects.filter(object_id=str(interview_id), object_type="interview")
        .order_by("sequence")
        .values_list("type", flat=True)
    )
    assert types == ["interview.scheduled", "interview.rescheduled", "interview.cancelled"]


def test_an_interviewer_may_neither_cancel_nor_reschedule(api):
    response, _ = _schedule(api)
    interview = Interview.objects.get(pk=response.json()["id"])
    person = interview.interviewers.get()

    refused = api.as_user(person).post(f"{URL}{interview.pk}/cancel/", {}, format="json")

    assert refused.status_code in (403, 404)
    interview.refresh_from_db()
    assert interview.cancelled_at is None


def test_a_cancelled_interview_leaves_my_interviews(client):
    person = interviewer(username="cara")
    interview = InterviewFactory(application=application_for("ml-engineer"), interviewers=[person])
    link = f"/interviewer/interviews/{interview.pk}/"
    client.force_login(person)
    assert link in client.get("/interviewer/").content.decode()

    interview_cancel(interview=interview, reason="moved")
    page = client.get("/interviewer/")

    assert page.status_code == 200
    assert link not in page.content.decode()


def test_a_submitted_scorecard_moves_the_verdict_once(api):
    # given an application with one screen interview
    person = interviewer(username="vic")
    interview = InterviewFactory(application=application_for("ml-engineer"), interviewers=[person])

    # when its interviewer submits a scorecard
    submit_for(api, person, interview)

    # then the scorecard and the verdict each have one event
    submitted = Event.objects.get(type="scorecard.submitted")
    assert submitted.data["recommendation"] == "yes"
    assert "ratings" not in submitted.data  # evidence stays behind the API's visibility rules
    verdict = Event.objects.get(type="verdict.changed")
    assert verdict.object_id == str(interview.application_id)
    assert set(verdict.changes) >= {"levels"}


def test_the_admin_schedules_through_the_service(admin_client):
    application = application_for("ml-engineer")
    person = interviewer(username="dan")
    when = timezone.now() + timedelta(days=1)
    response = admin_client.post(
        reverse("admin:interviews_interview_add"),
        {
            "application": application.pk,
            "kit": seeded_kit("ml-engineer").pk,
            "scheduled_at_0": when.strftime("%Y-%m-%d"),
            "scheduled_at_1": when.strftime("%H:%M:%S"),
            "duration_minutes": 30,
            "interviewers": [person.pk],
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    interview = Interview.objects.get()
    assert interview.duration_minutes == 30
    assert list(interview.interviewers.all()) == [person]
    event = Event.objects.get(type="interview.scheduled")
    assert event.channel == "admin"
