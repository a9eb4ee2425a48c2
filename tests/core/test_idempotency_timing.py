"""Idempotency-Key across time: a repeat while the first request still runs (a real second request
from another thread, against committed rows), a first answer that was a server error, a claim
whose request died, and the purge of keys past their TTL by the beat task."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from config.celery import app
from core.idempotency.models import IdempotencyKey
from core.schedules import purge_idempotency_keys
from tests.core.idempotency_urls import gate
from tests.hiring.factories import CandidateFactory, OpeningFactory, TokenFactory, integration

HELD = "/api/v1/test-only/held/"
FAILS_ONCE = "/api/v1/test-only/fails-once/"


@pytest.fixture
def api() -> Iterator[APIClient]:
    gate.reset()
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=integration()).key}")
    yield client
    gate.release.set()  # never leave a request thread waiting


class InFlight:
    """A POST running on its own thread (its own database connection, as in another worker)."""

    def __init__(self, client: APIClient, path: str, body: dict[str, Any], key: str) -> None:
        self.response: Any = None
        self._thread = threading.Thread(target=self._run, args=(client, path, body, key))
        self._thread.start()

    def _run(self, client: APIClient, path: str, body: dict[str, Any], key: str) -> None:
        try:
            self.response = client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        finally:
            connections.close_all()

    def finish(self) -> Any:
        gate.release.set()
        self._thread.join(timeout=20)
        assert not self._thread.is_alive()
        return self.response


@pytest.mark.urls("tests.core.idempotency_urls")
# Real commits, so the second thread sees the claim; serialized_rollback restores the seeded data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_repeat_while_the_first_is_still_running_is_a_409(api):
    # given a first request holding its key (committed, so every connection sees it)
    key = str(uuid.uuid4())
    first = InFlight(api, HELD, {"n": 1}, key)
    assert gate.arrived.wait(timeout=20)

    # when the client repeats it meanwhile
    repeat = api.post(HELD, {"n": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    # then the repeat is a 409 and the view ran once
    assert repeat.status_code == 409
    assert set(repeat.json()) == {"detail"}
    assert "in progress" in repeat.json()["detail"]
    assert len(gate.calls) == 1
    # and once the first has answered, a repeat gets that answer
    assert first.finish().status_code == 201
    later = api.post(HELD, {"n": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (later.status_code, later.json(), later["Idempotent-Replayed"]) == (
        201,
        {"call": 1},
        "true",
    )
    assert len(gate.calls) == 1


@pytest.mark.urls("tests.core.idempotency_urls")
# Real commits, so the second thread sees the claim; serialized_rollback restores the seeded data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_claim_whose_request_died_is_taken_over_by_the_retry(api):
    # given a first request that holds its key but has said nothing for eleven minutes
    key = str(uuid.uuid4())
    first = InFlight(api, HELD, {"n": 1}, key)
    assert gate.arrived.wait(timeout=20)
    IdempotencyKey.objects.filter(key=key).update(claimed_at=timezone.now() - timedelta(minutes=11))

    # when the client retries
    gate.release.set()
    retry = api.post(HELD, {"n": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    # then the retry ran and its answer is the one kept; the old request's late answer is not
    assert (retry.status_code, "Idempotent-Replayed" in retry) == (201, False)
    late = first.finish()
    assert late.status_code == 201
    assert len(gate.calls) == 2
    kept = api.post(HELD, {"n": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert kept.json() == retry.json()
    assert kept["Idempotent-Replayed"] == "true"


@pytest.mark.urls("tests.core.idempotency_urls")
@pytest.mark.django_db
def test_a_server_error_is_not_kept_so_the_retry_runs(api):
    key = str(uuid.uuid4())

    failed = api.post(FAILS_ONCE, {"n": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert failed.status_code == 500
    assert failed.json() == {"detail": "Server error."}
    assert not IdempotencyKey.objects.exists()

    retry = api.post(FAILS_ONCE, {"n": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = api.post(FAILS_ONCE, {"n": 1}, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert (retry.status_code, retry.json(), "Idempotent-Replayed" in retry) == (
        201,
        {"call": 2},
        False,
    )
    assert (again.status_code, again.json(), again["Idempotent-Replayed"]) == (
        201,
        {"call": 2},
        "true",
    )
    assert len(gate.calls) == 2


@pytest.mark.django_db
def test_beat_purges_keys_older_than_the_ttl_and_keeps_the_rest():
    # given two keys used through the API, one of them 25 hours ago
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=integration()).key}")
    opening = OpeningFactory()
    old, recent = "old-key", "recent-key"
    for key in (old, recent):
        payload = {"candidate": CandidateFactory().pk, "opening": opening.pk}
        assert (
            client.post(
                "/api/v1/applications/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key
            ).status_code
            == 201
        )
    IdempotencyKey.objects.filter(key=old).update(created_at=timezone.now() - timedelta(hours=25))
    IdempotencyKey.objects.filter(key=recent).update(
        created_at=timezone.now() - timedelta(hours=23)
    )

    # when beat's task runs (the schedule names it; eager in tests)
    entry = settings.CELERY_BEAT_SCHEDULE["core-purge-idempotency-keys"]
    assert entry["task"] == purge_idempotency_keys.name
    assert entry["task"] in app.tasks
    deleted = app.tasks[entry["task"]].delay().get()

    # then only the key past the 24 hours is gone
    assert deleted == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == [recent]
