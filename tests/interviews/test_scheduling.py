"""Scheduling interviews and sending take-homes refuse what would corrupt a verdict or act on a
closed application, with the same clear message in the admin and the API; the API schedules
interviews for recruiters."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from hiring.services import application_transition
from interviews.models import Interview, TakeHomeAssignment
from tests.interviews.factories import (
    InterviewFactory,
    application_for,
    hiring_manager,
    interviewer,
    recruiter,
    seeded_kit,
    seeded_template,
)

pytestmark = pytest.mark.django_db


def _rejected(application: Any) -> Any:
    return application_transition(
        application=application, to_stage="rejected", rejection_reason="below_bar"
    )


def _split(when: Any, name: str) -> dict[str, str]:
    return {f"{name}_0": when.strftime("%Y-%m-%d"), f"{name}_1": when.strftime("%H:%M:%S")}


# --- take-home of another role ------------------------------------------------------------------


def test_the_api_refuses_a_take_home_of_another_role(api):
    application = application_for("ml-engineer")
    response = api.as_user(recruiter()).post(
        "/api/v1/takehome-assignments/",
        {
            "application": application.pk,
            "template": seeded_template("data-scientist").pk,
            "due_at": (timezone.now() + timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    message = response.json()["template"][0]
    assert "Data Scientist" in message
    assert "ML Engineer" in message
    assert TakeHomeAssignment.objects.count() == 0


def test_the_admin_refuses_a_take_home_of_another_role(admin_client):
    application = application_for("ml-engineer")
    response = admin_client.post(
        "/admin/interviews/takehomeassignment/add/",
        {
            "application": application.pk,
            "template": seeded_template("data-scientist").pk,
            **_split(timezone.now() + timedelta(days=3), "due_at"),
            "blind": "on",
        },
    )
    assert response.status_code == 200
    assert "Choose one of that role&#x27;s take-homes" in response.content.decode()
    assert TakeHomeAssignment.objects.count() == 0


def test_a_take_home_of_the_same_role_is_sent_and_its_message_names_it(admin_client):
    application = application_for("ml-engineer")
    response = admin_client.post(
        "/admin/interviews/takehomeassignment/add/",
        {
            "application": application.pk,
            "template": seeded_template("ml-engineer").pk,
            **_split(timezone.now() + timedelta(days=3), "due_at"),
            "blind": "on",
        },
        follow=True,
    )
    assignment = TakeHomeAssignment.objects.get()
    texts = [str(m) for m in response.context["messages"]]
    added = [t for t in texts if "was added successfully" in t]
    assert added, texts
    assert assignment.submission_code in added[0], texts


def test_no_take_home_for_a_rejected_application(api):
    application = _rejected(application_for("ml-engineer"))
    response = api.as_user(recruiter()).post(
        "/api/v1/takehome-assignments/",
        {
            "application": application.pk,
            "template": seeded_template("ml-engineer").pk,
            "due_at": (timezone.now() + timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "closed (rejected)" in response.json()["application"][0]


# --- interviews on closed applications ----------------------------------------------------------


def test_the_admin_refuses_an_interview_on_a_rejected_application(admin_client):
    application = _rejected(application_for("ml-engineer"))
    response = admin_client.post(
        "/admin/interviews/interview/add/",
        {
            "application": application.pk,
            "kit": seeded_kit("ml-engineer", "screen").pk,
            **_split(timezone.now() + timedelta(days=1), "scheduled_at"),
            "interviewers": [interviewer().pk],
        },
    )
    assert response.status_code == 200
    assert "This application is closed (rejected)" in response.content.decode()
    assert Interview.objects.count() == 0


def test_recruiters_schedule_an_interview_through_the_api(api):
    application = application_for("ml-engineer")
    alice, bob = interviewer(username="alice"), interviewer(username="bob")
    when = timezone.now() + timedelta(days=2)
    response = api.as_user(recruiter()).post(
        "/api/v1/interviews/",
        {
            "application": application.pk,
            "kit": seeded_kit("ml-engineer", "screen").pk,
            "scheduled_at": when.isoformat(),
            "interviewers": [alice.pk, bob.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "screen"
    assert sorted(body["interviewers"]) == ["alice", "bob"]
    assert Interview.objects.get(pk=body["id"]).application == application


def test_the_api_refuses_an_interview_on_a_rejected_application_or_with_another_roles_kit(api):
    application = _rejected(application_for("ml-engineer"))
    response = api.as_user(recruiter()).post(
        "/api/v1/interviews/",
        {
            "application": application.pk,
            "kit": seeded_kit("data-scientist", "screen").pk,
            "scheduled_at": (timezone.now() + timedelta(days=2)).isoformat(),
            "interviewers": [interviewer().pk],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "closed (rejected)" in errors["application"][0]
    assert "another role profile" in errors["kit"][0]
    assert Interview.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kit": 999999}, "kit"),
        ({"interviewers": [999999]}, "interviewers"),
        ({"scheduled_at": "tomorrow"}, "scheduled_at"),
        ({"when": "2027-01-01T10:00:00Z"}, "when"),
    ],
)
def test_bad_scheduling_input_is_a_field_error(api, body, field):
    application = application_for("ml-engineer")
    data = {
        "application": application.pk,
        "kit": seeded_kit("ml-engineer", "screen").pk,
        "scheduled_at": (timezone.now() + timedelta(days=2)).isoformat(),
        "interviewers": [interviewer().pk],
        **body,
    }
    response = api.as_user(recruiter()).post("/api/v1/interviews/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Interview.objects.count() == 0


def test_interviewers_and_hiring_managers_cannot_schedule(api):
    manager = hiring_manager()
    application = application_for("ml-engineer", manager=manager)
    data = {
        "application": application.pk,
        "kit": seeded_kit("ml-engineer", "screen").pk,
        "scheduled_at": (timezone.now() + timedelta(days=2)).isoformat(),
    }
    for person in (interviewer(), manager):
        response = api.as_user(person).post("/api/v1/interviews/", data, format="json")
        assert response.status_code == 403
    assert Interview.objects.count() == 0


def test_the_admin_interview_list_shows_the_interviewers(admin_client):
    InterviewFactory(interviewers=[interviewer(username="olga"), interviewer(username="ravi")])
    page = admin_client.get("/admin/interviews/interview/").content.decode()
    assert "olga, ravi" in page or "ravi, olga" in page


def test_the_take_home_template_page_names_its_criteria_in_plain_english(admin_client):
    template = seeded_template("ml-engineer")
    page = admin_client.get(f"/admin/interviews/takehometemplate/{template.pk}/change/")
    body = page.content.decode()
    assert "Take-home criteria" in body
    assert "criterions" not in body.lower()


def test_the_admin_offers_people_not_integration_accounts_as_interviewers(admin_client):
    from hiring import roles
    from tests.hiring.factories import UserFactory

    roles.ensure_default_groups()
    person = interviewer(username="ivy")
    bot = UserFactory(username="ats-bot", groups=[roles.ATS_INTEGRATIONS])
    page = admin_client.get("/admin/interviews/interview/add/")
    offered = set(page.context["adminform"].form.fields["interviewers"].queryset)
    assert person in offered
    assert bot not in offered
