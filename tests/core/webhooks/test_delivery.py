"""Deliveries as a receiver on 127.0.0.1 sees them: signed per Standard Webhooks (verified
with the ``standardwebhooks`` package itself), retried with the same ``webhook-id`` when they
can heal and only then, cut off when the receiver hangs, and stopped for an endpoint that has
failed for a day. Tasks run in-process here (the worker tests run them on a real worker)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time

import pytest
from django.db import transaction
from django.utils import timezone
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from core.events.models import Event
from core.events.recording import event_record
from core.schedules import sweep_webhook_deliveries
from core.tasks import deliver_webhook
from core.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from core.webhooks.services import webhook_endpoint_create
from hiring.models import Candidate
from tests.core.webhooks.receiver import Answer, Receiver
from tests.hiring.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _endpoint(receiver: Receiver, *types: str, capture) -> WebhookEndpoint:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        endpoint = webhook_endpoint_create(url=receiver.url(), event_types=list(types))
    return endpoint


def _create_candidate(client: APIClient, capture, **body: object) -> dict:  # type: ignore[no-untyped-def, type-arg]
    with capture(execute=True):
        response = client.post("/api/v1/candidates/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def _sweep_when_due(capture, wait: float = 0.0) -> int:  # type: ignore[no-untyped-def]
    """What beat does every few seconds: send the deliveries that are due."""
    if wait:
        time.sleep(wait)
    with capture(execute=True):
        return sweep_webhook_deliveries()


def test_an_event_is_signed_so_the_standardwebhooks_package_verifies_it(
    receiver, recruiter_api, django_capture_on_commit_callbacks
):
    # given an endpoint for candidate.created (its ping came first)
    endpoint = _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
    receiver.wait_for(1)

    # when a candidate is created through the API
    created = _create_candidate(
        recruiter_api, django_capture_on_commit_callbacks, full_name="Ada Lovelace"
    )

    # then the receiver got one POST that verifies with the endpoint's secret
    ping, request = receiver.wait_for(2)
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    event = Event.objects.get(type="candidate.created")
    assert request.webhook_id == event.uid
    assert payload["type"] == "candidate.created"
    assert payload["timestamp"].endswith("Z")
    assert payload["data"]["id"] == created["id"]
    assert payload["data"]["sequence"] == 1
    assert payload["data"]["object"]["full_name"] == "Ada Lovelace"
    assert payload["data"]["changes"]["full_name"] == [None, "Ada Lovelace"]
    assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 30
    # a tampered body or another secret does not verify
    with pytest.raises(Exception, match="signature"):
        Webhook(endpoint.secret).verify(request.body.replace(b"Ada", b"Eve"), request.headers)
    with pytest.raises(Exception, match="signature"):
        Webhook("whsec_" + "A" * 44).verify(request.body, request.headers)
    # the ping is the endpoint's own, verified the same way
    assert Webhook(endpoint.secret).verify(ping.body, ping.headers)["type"] == "webhook.ping"


def test_an_endpoint_receives_only_the_types_it_subscribed_to(
    receiver, recruiter_api, django_capture_on_commit_callbacks
):
    with Receiver() as everything:
        _endpoint(receiver, "opening.updated", capture=django_capture_on_commit_callbacks)
        _endpoint(everything, capture=django_capture_on_commit_callbacks)

        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Grace")

        assert [r.headers["webhook-id"] for r in everything.wait_for(2)][1] == (
            Event.objects.get(type="candidate.created").uid
        )
    # only its own ping, not the other endpoint's ping, nor the candidate
    assert [json.loads(r.body)["type"] for r in receiver.received] == ["webhook.ping"]


def test_a_write_that_rolls_back_delivers_nothing(receiver, django_capture_on_commit_callbacks):
    _endpoint(receiver, capture=django_capture_on_commit_callbacks)
    receiver.wait_for(1)

    # when a change records its event (and its delivery, in the same transaction), then fails
    written = []

    def change_that_fails() -> None:
        with transaction.atomic():
            event_record(type="candidate.created", obj=CandidateFactory())
            written.append(WebhookDelivery.objects.filter(event__type="candidate.created").count())
            raise RuntimeError("the change fails after its event was recorded")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        change_that_fails()

    # then its delivery went with it, and nothing was sent
    assert written == [1]
    assert not WebhookDelivery.objects.filter(event__type="candidate.created").exists()
    time.sleep(0.1)
    assert len(receiver.received) == 1


def test_a_500_then_200_delivers_the_same_webhook_id_twice(
    fast_retries, recruiter_api, django_capture_on_commit_callbacks
):
    # given a receiver that fails once, then accepts (after the ping it took)
    with Receiver(Answer(200), Answer(500, body=b"database down"), Answer(200)) as receiver:
        _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Alan")

        # when the retry falls due and beat sweeps
        _sweep_when_due(django_capture_on_commit_callbacks, wait=0.2)

        # then the event came twice with the same id, and each attempt is logged
        first, second = receiver.wait_for(3)[1:]
    assert first.webhook_id == second.webhook_id == Event.objects.get(type="candidate.created").uid
    assert first.body == second.body
    delivery = WebhookDelivery.objects.get(event__type="candidate.created")
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    attempts = list(delivery.attempt_log.order_by("number"))
    assert [(a.number, a.status_code, a.succeeded) for a in attempts] == [
        (1, 500, False),
        (2, 200, True),
    ]
    assert attempts[0].response_excerpt == "database down"
    assert attempts[0].retry_at is not None
    assert attempts[1].retry_at is None
    assert all(a.duration_ms < 2000 for a in attempts)


@pytest.mark.parametrize("code", [400, 401, 403, 404, 410, 422])
def test_a_4xx_that_cannot_heal_is_not_retried(
    code, fast_retries, recruiter_api, django_capture_on_commit_callbacks
):
    with Receiver(Answer(200), Answer(code), Answer(200)) as receiver:
        _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Bob")

        swept = _sweep_when_due(django_capture_on_commit_callbacks, wait=0.3)

    assert swept == 0
    assert len(receiver.received) == 2
    delivery = WebhookDelivery.objects.get(event__type="candidate.created")
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 1, None)
    assert delivery.attempt_log.get().retry_at is None


@pytest.mark.parametrize("code", [408, 409, 429, 502])
def test_a_4xx_that_can_heal_and_a_5xx_are_retried(
    code, fast_retries, recruiter_api, django_capture_on_commit_callbacks
):
    with Receiver(Answer(200), Answer(code), Answer(204)) as receiver:
        _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Bob")

        _sweep_when_due(django_capture_on_commit_callbacks, wait=0.3)
        receiver.wait_for(3)

    delivery = WebhookDelivery.objects.get(event__type="candidate.created")
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


@pytest.mark.parametrize("retry_after", ["120", "date"])
def test_429_with_retry_after_schedules_the_next_attempt_when_the_receiver_asks(
    retry_after, recruiter_api, django_capture_on_commit_callbacks
):
    when = timezone.now() + dt.timedelta(seconds=120)
    header = retry_after if retry_after != "date" else when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    with Receiver(Answer(200), Answer(429, headers={"Retry-After": header})) as receiver:
        _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Bob")
        receiver.wait_for(2)

    delivery = WebhookDelivery.objects.get(event__type="candidate.created")
    attempt = delivery.attempt_log.get()
    assert delivery.status == "pending"
    assert attempt.status_code == 429
    # the backoff would have said ~30 s; the receiver said two minutes
    assert attempt.retry_at is not None
    assert abs((attempt.retry_at - attempt.attempted_at).total_seconds() - 120) < 3
    assert delivery.next_attempt_at == attempt.retry_at


def test_a_receiver_that_hangs_is_cut_off_and_counted_as_a_failed_attempt(
    settings, recruiter_api, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    with Receiver(Answer(200), Answer(200, delay=5)) as receiver:
        _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
        started = time.monotonic()
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Hung")
        took = time.monotonic() - started

    assert took < 3
    delivery = WebhookDelivery.objects.get(event__type="candidate.created")
    attempt = delivery.attempt_log.get()
    assert (attempt.succeeded, attempt.status_code) == (False, None)
    assert "Timed out" in attempt.error
    assert 400 <= attempt.duration_ms < 3000
    assert delivery.status == "pending"
    assert attempt.retry_at is not None


def test_the_retry_schedule_makes_at_least_8_attempts_over_at_least_24_hours(
    settings, recruiter_api, django_capture_on_commit_callbacks
):
    # given a receiver that always fails (after the ping)
    settings.WEBHOOK_REQUEUE_AFTER_SECONDS = 0
    with Receiver(Answer(200), Answer(503)) as receiver:
        _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Retry")
        delivery = WebhookDelivery.objects.get(event__type="candidate.created")

        # when each retry falls due (time moved on by hand), until it gives up: a retry due
        # soon comes as the task's own countdown message, a later one from beat's sweep
        paths = []
        for _ in range(30):
            pending = WebhookDelivery.objects.filter(pk=delivery.pk, status="pending")
            countdown_sent = pending.filter(enqueued_at__isnull=False).exists()
            if not pending.update(next_attempt_at=timezone.now()):
                break
            if countdown_sent:
                paths.append("countdown")
                with django_capture_on_commit_callbacks(execute=True):
                    deliver_webhook.delay(delivery.pk)
            else:
                paths.append("sweep")
                assert _sweep_when_due(django_capture_on_commit_callbacks) == 1

    # then: first retry within a minute, growing waits, >= 8 attempts spanning >= 24 hours
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    waits = [(a.retry_at - a.attempted_at).total_seconds() for a in attempts if a.retry_at]
    assert len(attempts) >= 8
    assert attempts[-1].retry_at is None
    assert waits[0] <= 60
    assert all(later > earlier for earlier, later in itertools.pairwise(waits[:8]))
    assert {"countdown", "sweep"} <= set(paths)
    assert sum(waits) >= 24 * 3600
    delivery.refresh_from_db()
    assert delivery.status == "failed"


def test_an_endpoint_failing_for_a_day_is_disabled_and_then_gets_nothing(
    fast_retries, recruiter_api, django_capture_on_commit_callbacks
):
    # given an endpoint whose every attempt has failed since yesterday
    with Receiver(Answer(200), Answer(500)) as receiver:
        endpoint = _endpoint(receiver, capture=django_capture_on_commit_callbacks)
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="One")
        endpoint.refresh_from_db()
        assert endpoint.failing_since is not None
        assert endpoint.is_active
        day_ago = timezone.now() - dt.timedelta(hours=24, minutes=1)
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=day_ago)

        # when its next attempt fails too
        _sweep_when_due(django_capture_on_commit_callbacks, wait=0.2)
        endpoint.refresh_from_db()
        got = len(receiver.received)

        # then it is disabled, with the reason, and what follows is not sent
        assert not endpoint.is_active
        assert "every delivery attempt failed since" in endpoint.disabled_reason
        assert WebhookDelivery.objects.get(event__type="candidate.created").status == "failed"
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Two")
        _sweep_when_due(django_capture_on_commit_callbacks, wait=0.2)
        time.sleep(0.2)
        assert len(receiver.received) == got
    assert not WebhookDelivery.objects.filter(
        endpoint=endpoint, event__object_id=str(Candidate.objects.get(full_name="Two").pk)
    ).exists()


def test_a_success_clears_the_run_of_failures(
    fast_retries, recruiter_api, django_capture_on_commit_callbacks
):
    with Receiver(Answer(200), Answer(500), Answer(200)) as receiver:
        endpoint = _endpoint(receiver, capture=django_capture_on_commit_callbacks)
        _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="One")
        endpoint.refresh_from_db()
        assert endpoint.failing_since is not None
        _sweep_when_due(django_capture_on_commit_callbacks, wait=0.2)
        receiver.wait_for(3)

    endpoint.refresh_from_db()
    assert endpoint.failing_since is None
    assert endpoint.is_active


def test_a_target_that_turned_private_is_refused_at_delivery_time(
    settings, receiver, recruiter_api, django_capture_on_commit_callbacks
):
    # given an endpoint saved while loopback was allowed (as a name could resolve elsewhere
    # later: DNS rebinding)
    endpoint = _endpoint(receiver, "candidate.created", capture=django_capture_on_commit_callbacks)
    receiver.wait_for(1)

    # when production's rules apply at the next delivery
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    _create_candidate(recruiter_api, django_capture_on_commit_callbacks, full_name="Mallory")

    # then nothing reached it, and the attempt says why
    time.sleep(0.2)
    assert len(receiver.received) == 1
    attempt = WebhookAttempt.objects.get(
        delivery__endpoint=endpoint, delivery__event__type="candidate.created"
    )
    assert not attempt.succeeded
    assert "loopback" in attempt.error
