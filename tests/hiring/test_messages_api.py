"""A candidate's e-mail log through HTTP with real token authentication: scoped like the
candidate (a hiring manager sees only candidates of their openings, anything else is a 404),
cursor-paginated on the id, documented in the OpenAPI schema, with a constant number of
queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from hiring import roles
from hiring.models import Message
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    OpeningFactory,
    TokenFactory,
    UserFactory,
    integration,
    recruiter,
)

pytestmark = pytest.mark.django_db


def api(user: object) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def url(candidate: Any) -> str:
    return f"/api/v1/candidates/{candidate.pk}/messages/"


def _message(candidate: Any, **kwargs: Any) -> Message:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "template_key": "interview_invitation",
        "recipient_kind": Message.RecipientKind.CANDIDATE,
        "to_address": "ada@example.org",
        "subject": "Interview for ML Engineer",
        "body_text": "Hello Ada",
        "concerns": "interview:3",
        "max_attempts": 5,
        "queued_at": now,
        "next_attempt_at": now,
    }
    return Message.objects.create(candidate=candidate, **{**defaults, **kwargs})


def test_an_integration_reads_the_log_of_a_candidate():
    candidate = CandidateFactory()
    first = _message(candidate, status=Message.Status.SENT, sent_at=timezone.now(), attempts=1)
    second = _message(
        candidate,
        recipient_kind=Message.RecipientKind.INTERVIEWER,
        template_key="interview_invitation_interviewer",
        to_address="grace@example.org",
        status=Message.Status.FAILED,
        attempts=2,
        last_error="SMTPDataError: (550, b'no')",
    )
    _message(CandidateFactory(), subject="Someone else's")

    response = api(integration()).get(url(candidate))

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    assert rows[0] == {
        "id": first.pk,
        "candidate": candidate.pk,
        "template": "interview_invitation",
        "recipient_kind": "candidate",
        "to": "ada@example.org",
        "subject": "Interview for ML Engineer",
        "body_text": "Hello Ada",
        "concerns": "interview:3",
        "status": "sent",
        "attempts": 1,
        "last_error": "",
        "queued_at": rows[0]["queued_at"],
        "sent_at": rows[0]["sent_at"],
    }
    assert rows[0]["sent_at"] is not None
    assert rows[1]["status"] == "failed"
    assert rows[1]["to"] == "grace@example.org"


def test_a_hiring_manager_sees_the_log_only_of_candidates_of_their_openings():
    roles.ensure_default_groups()
    manager = UserFactory(groups=[roles.HIRING_MANAGERS])
    mine = ApplicationFactory(opening=OpeningFactory(hiring_manager=manager)).candidate
    theirs = ApplicationFactory(opening=OpeningFactory(hiring_manager=UserFactory())).candidate
    _message(mine)
    _message(theirs)
    client = api(manager)

    assert client.get(url(mine)).status_code == 200
    assert len(client.get(url(mine)).json()["results"]) == 1
    hidden = client.get(url(theirs))
    assert hidden.status_code == 404
    assert client.get("/api/v1/candidates/999999/messages/").status_code == 404


def test_anonymous_requests_are_refused():
    assert APIClient().get(url(CandidateFactory())).status_code == 401


def test_pages_follow_the_cursor_with_a_constant_number_of_queries(django_assert_num_queries):
    candidate = CandidateFactory()
    ids = [_message(candidate).pk for _ in range(5)]
    client = api(recruiter())
    client.get(url(candidate))  # token and permissions cached

    with django_assert_num_queries(3):  # user, candidate, page
        first = client.get(url(candidate), {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()

    seen = [row["id"] for page in (first, second, third) for row in page["results"]]
    assert seen == ids
    assert third["next"] is None


def test_the_endpoint_is_in_the_openapi_schema():
    response = api(recruiter()).get("/api/schema/", {"format": "json"})
    operation = response.json()["paths"]["/api/v1/candidates/{id}/messages/"]["get"]
    assert operation["operationId"] == "v1_candidates_messages_list"
    assert set(operation["responses"]) >= {"200", "401", "404"}
