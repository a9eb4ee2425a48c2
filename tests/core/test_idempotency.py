"""Idempotency-Key through HTTP (``core.idempotency``): a retried POST, in any app, gets the first
answer again and writes nothing; a key reused for another request, by another account or in a
shape that cannot be a key is refused before anything runs."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.events.models import Event
from core.idempotency.models import IdempotencyKey
from hiring.models import Application, StageChange
from hiring.services import application_create
from interviews.models import TakeHomeAssignment
from sourcing.models import SourcingRun
from tests.hiring.factories import (
    CandidateFactory,
    OpeningFactory,
    RoleProfileFactory,
    TokenFactory,
    integration,
)
from tests.interviews import factories as interviews_factories

pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/applications/"


def token_client(user: Any) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=user).key}")
    return client


def new_key() -> str:
    return str(uuid.uuid4())


def writes() -> tuple[int, int, int]:
    return (Application.objects.count(), StageChange.objects.count(), Event.objects.count())


def test_a_retried_create_answers_the_first_response_again_and_writes_nothing():
    # given an application created with a key
    client = token_client(integration())
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}
    key = new_key()
    first = client.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    before = writes()

    # when the client retries it with the same key and body
    retry = client.post(
        APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key, HTTP_X_REQUEST_ID="retry-1"
    )

    # then it is the first answer, marked as a replay, and nothing new exists
    assert retry.status_code == 201
    assert retry.content == first.content
    assert retry["Content-Type"] == first["Content-Type"]
    assert retry["Idempotent-Replayed"] == "true"
    assert retry["X-Request-ID"] == "retry-1"
    assert writes() == before
    assert Application.objects.count() == 1


def test_without_the_header_a_retried_create_is_refused_as_a_duplicate():
    client = token_client(integration())
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}

    first = client.post(APPLICATIONS, payload, format="json")
    retry = client.post(APPLICATIONS, payload, format="json")

    assert first.status_code == 201
    assert retry.status_code == 400
    assert "Idempotent-Replayed" not in retry
    assert retry.json() == {"non_field_errors": ["This candidate already applied to this opening."]}
    assert not IdempotencyKey.objects.exists()


def test_a_retried_transition_answers_200_again_instead_of_cannot_move():
    # given an application moved to screen with a key
    application = application_create(candidate=CandidateFactory(), opening=OpeningFactory())
    client = token_client(integration())
    moves = f"{APPLICATIONS}{application.pk}/transitions/"
    move = {"to_stage": "screen", "reason": "strong arXiv record"}
    key = new_key()
    first = client.post(moves, move, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 200, first.content
    before = writes()

    # when the move is retried with the same key
    retry = client.post(moves, move, format="json", HTTP_IDEMPOTENCY_KEY=key)

    # then it is the same 200, and the history still has one move
    assert (retry.status_code, retry.content) == (200, first.content)
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["stage"] == "screen"
    assert writes() == before
    assert application.history.count() == 2  # opened, screened
    # while a retry without the key is the error a client would have seen
    unkeyed = client.post(moves, move, format="json")
    assert unkeyed.status_code == 400
    assert "Idempotent-Replayed" not in unkeyed


def test_a_retried_sourcing_run_start_starts_no_second_run():
    # given a run started with a key (a recruiter may start sourcing runs)
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    client = token_client(interviews_factories.recruiter())
    key = new_key()
    payload = {"role": role.slug, "max_results": 10}
    first = client.post("/api/v1/sourcing-runs/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.content

    # when it is retried with the key
    retry = client.post("/api/v1/sourcing-runs/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    # then the answer is the first 201 (not the 200 "already queued" of a second request)
    assert (retry.status_code, retry.content) == (201, first.content)
    assert retry["Idempotent-Replayed"] == "true"
    assert SourcingRun.objects.count() == 1


def test_a_retried_take_home_sends_one_assignment_with_the_same_link():
    application = interviews_factories.application_for()
    client = token_client(interviews_factories.recruiter())
    payload = {
        "application": application.pk,
        "template": interviews_factories.seeded_template().pk,
        "due_at": (timezone.now() + timedelta(days=3)).isoformat(),
        "graders": [interviews_factories.interviewer().pk],
    }
    key = new_key()

    first = client.post(
        "/api/v1/takehome-assignments/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    retry = client.post(
        "/api/v1/takehome-assignments/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert first.status_code == 201, first.content
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    assert TakeHomeAssignment.objects.count() == 1


def test_a_refusal_is_kept_and_replayed_too():
    # given a create refused for an unknown candidate
    client = token_client(integration())
    payload = {"candidate": 999_999, "opening": OpeningFactory().pk}
    key = new_key()
    first = client.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 400

    # when the candidate appears and the same request is retried with the same key
    CandidateFactory(pk=999_999)
    retry = client.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    # then the answer is still the first one: a key stands for one outcome
    assert (retry.status_code, retry.content) == (400, first.content)
    assert retry["Idempotent-Replayed"] == "true"
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"body": {"reason": "a different reason"}},
        {"path": "/api/v1/candidates/"},
    ],
    ids=["other-body", "other-path"],
)
def test_the_same_key_for_a_different_request_is_a_422_that_writes_nothing(change):
    client = token_client(integration())
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}
    key = new_key()
    assert client.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key).status_code
    before = writes()

    response = client.post(
        change.get("path", APPLICATIONS),
        {**payload, **change.get("body", {})},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )

    assert response.status_code == 422
    assert set(response.json()) == {"detail"}
    assert "different request" in response.json()["detail"]
    assert writes() == before


def test_another_accounts_key_is_a_400_naming_the_header_and_writes_nothing():
    # given a key the ATS integration used
    key = new_key()
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}
    first = token_client(integration()).post(
        APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == 201
    before = (writes(), IdempotencyKey.objects.count())

    # when another account sends the very same request and key
    other = token_client(integration()).post(
        APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    # then it is refused on the header, and never sees the first account's answer
    assert other.status_code == 400
    assert list(other.json()) == ["Idempotency-Key"]
    assert "another account" in other.json()["Idempotency-Key"][0]
    assert str(first.json()["id"]) not in other.content.decode()
    assert (writes(), IdempotencyKey.objects.count()) == before


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("k" * 256, "Ensure this field has no more than 255 characters."),
        ("", "This field may not be blank."),
        ("key\x00with-nul", "Only printable ASCII characters"),
        ("clé-é", "Only printable ASCII characters"),
    ],
    ids=["too-long", "blank", "nul", "non-ascii"],
)
def test_a_key_that_cannot_be_one_is_a_400_naming_the_header_and_writes_nothing(key, message):
    client = token_client(integration())
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}

    response = client.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]
    assert response.json()["Idempotency-Key"][0].startswith(message)
    assert writes() == (0, 0, 0)
    assert not IdempotencyKey.objects.exists()


def test_a_key_of_255_characters_is_accepted():
    client = token_client(integration())
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}

    response = client.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY="k" * 255)

    assert response.status_code == 201
    assert IdempotencyKey.objects.get().key == "k" * 255


def test_an_unauthenticated_request_is_the_usual_401_and_keeps_no_key():
    response = APIClient().post(
        APPLICATIONS, {"candidate": 1, "opening": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    bad_token = APIClient().post(
        APPLICATIONS,
        {"candidate": 1, "opening": 1},
        format="json",
        HTTP_AUTHORIZATION="Token " + "0" * 40,
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert (response.status_code, bad_token.status_code) == (401, 401)
    assert not IdempotencyKey.objects.exists()


def test_a_session_without_its_csrf_token_is_the_usual_403_and_keeps_no_key():
    # given a signed-in recruiter's browser session (Django's test client enforces no CSRF by
    # default; the API's session authentication does, and so does the key's)
    user = integration()
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(user)
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}

    response = browser.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=new_key())

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not IdempotencyKey.objects.exists()
    assert not Application.objects.exists()


def test_a_signed_in_session_gets_replays_too():
    browser = APIClient()
    browser.force_login(integration())
    payload = {"candidate": CandidateFactory().pk, "opening": OpeningFactory().pk}
    key = new_key()

    first = browser.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
    retry = browser.post(APPLICATIONS, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1


def test_other_methods_ignore_the_header():
    client = token_client(integration())
    candidate = CandidateFactory()
    key = new_key()

    first = client.patch(
        f"/api/v1/candidates/{candidate.pk}/",
        {"full_name": "Ada"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    read = client.get(f"/api/v1/candidates/{candidate.pk}/", HTTP_IDEMPOTENCY_KEY=key)

    assert (first.status_code, read.status_code) == (200, 200)
    assert "Idempotent-Replayed" not in read
    assert not IdempotencyKey.objects.exists()
