"""The hiring manager's ATS, with the token `manage.py create_api_token --create-user` gives it:
it reads the kits, schedules an interview, sends a take-home and reads the verdict, and calls
without a trailing slash work too."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from interviews.roles import grant_interview_permissions
from tests.interviews.factories import application_for, interviewer, seeded_kit, seeded_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def ats() -> APIClient:
    grant_interview_permissions()  # what post_migrate does on a real database
    out = StringIO()
    call_command("create_api_token", "ats-bot", "--create-user", stdout=out, stderr=StringIO())
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {out.getvalue().strip()}")
    return client


def test_the_ats_reads_kits_schedules_an_interview_sends_a_take_home_and_reads_the_verdict(ats):
    application = application_for("ml-engineer")
    person = interviewer(username="ivy")

    kits = ats.get("/api/v1/kits", {"role_profile": "ml-engineer", "stage": "screen"}).json()
    assert [k["id"] for k in kits["results"]] == [seeded_kit("ml-engineer", "screen").pk]

    response = ats.post(
        "/api/v1/interviews",
        {
            "application": application.pk,
            "kit": kits["results"][0]["id"],
            "scheduled_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "interviewers": [person.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["interviewers"] == ["ivy"]

    response = ats.post(
        "/api/v1/takehome-assignments",
        {
            "application": application.pk,
            "template": seeded_template("ml-engineer").pk,
            "due_at": (timezone.now() + timedelta(days=5)).isoformat(),
            "graders": [person.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert "/take-home/" in response.json()["link"]

    verdict = ats.get(f"/api/v1/applications/{application.pk}/verdict").json()
    assert verdict["outcome"] == "not_enough_evidence"


def test_the_ats_cannot_write_scorecards(ats):
    application = application_for("ml-engineer")
    response = ats.post(
        "/api/v1/interviews/",
        {
            "application": application.pk,
            "kit": seeded_kit("ml-engineer", "screen").pk,
            "scheduled_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "interviewers": [interviewer().pk],
        },
        format="json",
    )
    interview_id = response.json()["id"]
    response = ats.post("/api/v1/scorecards/", {"interview": interview_id}, format="json")
    assert response.status_code == 404  # not one of its interviews: it is no interviewer
