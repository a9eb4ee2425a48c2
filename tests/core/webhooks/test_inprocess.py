"""Without a broker (``make run``): an endpoint on 127.0.0.1 gets its ping and then a signed
event for a candidate created through the API, delivered on the server's background thread."""

from __future__ import annotations

import json
import threading

import pytest
from rest_framework.response import Response
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from config import inprocess
from core.webhooks.models import WebhookDelivery

# Real commits: the background thread has its own connection and sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def background(settings):  # type: ignore[no-untyped-def]
    settings.TASKS_IN_BACKGROUND = True
    yield
    inprocess.drain(timeout=60)


def _post_then_deliver(client: APIClient, path: str, body: dict[str, object]) -> Response:
    """The request returns before its deliveries run (the background thread waits for it, as
    the in-memory test database shares its tables between the two threads), then they run."""
    gate = threading.Event()
    inprocess.run(gate.wait, 30)
    try:
        response = client.post(path, body, format="json")
    finally:
        gate.set()
    inprocess.drain(timeout=30)
    return response


def test_make_run_delivers_a_signed_event_in_process(background, receiver, recruiter_api):
    # given an endpoint on this machine, made through the API
    created = _post_then_deliver(
        recruiter_api, "/api/v1/webhook-endpoints/", {"url": receiver.url()}
    )
    assert created.status_code == 201, created.content

    # when a candidate is created through the API
    candidate = _post_then_deliver(recruiter_api, "/api/v1/candidates/", {"full_name": "Ada"})
    assert candidate.status_code == 201

    # then the ping and the candidate came, both signed with the secret shown at creation
    secret = created.json()["secret"]
    ping, event = receiver.wait_for(2)
    assert Webhook(secret).verify(ping.body, ping.headers)["type"] == "webhook.ping"
    payload = Webhook(secret).verify(event.body, event.headers)
    assert payload["type"] == "candidate.created"
    assert payload["data"]["id"] == candidate.json()["id"]
    assert json.loads(event.body) == payload
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
