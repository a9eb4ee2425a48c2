"""Webhooks through a real Celery worker on Redis, against the test database on PostgreSQL:
the worker delivers (and retries) on its own, and a worker SIGKILLed in the middle of a POST
loses nothing: once its lease runs out the sweeper sends the delivery again, with the same
``webhook-id``. Needs PostgreSQL and Redis (``postgres``/``redis_url`` fail in CI without)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rest_framework.test import APIClient
from standardwebhooks import Webhook

from config.celery import app
from core.schedules import sweep_webhook_deliveries
from core.webhooks.models import WebhookDelivery
from core.webhooks.services import webhook_endpoint_create
from tests.core.webhooks.receiver import Answer, Receiver
from tests.database import database_url
from tests.hiring.factories import TokenFactory, recruiter

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    # The worker reads committed rows; serialized_rollback restores the migrated data (groups).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Worker:
    def __init__(self, queue: str, env: dict[str, str], log: Path) -> None:
        command = [
            str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-P", "solo",
            "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel=INFO", "-n", f"webhooks-{uuid.uuid4().hex[:6]}@%h",
        ]  # fmt: skip
        self.log = log
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


def _forget_routing() -> None:
    """Celery caches the queues and the router (with the default queue) on first use; drop them
    so a changed ``task_default_queue`` counts, here and in the tests after this one."""
    for name in ("queues", "default_queue", "router"):
        app.amqp.__dict__.pop(name, None)


@pytest.fixture
def workers(postgres, redis_url, tmp_path) -> Iterator[Callable[..., Worker]]:  # type: ignore[no-untyped-def]
    """Start workers on a queue of this test's own; this process only sends to it."""
    queue = f"webhooks-{uuid.uuid4().hex[:8]}"
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
    _forget_routing()
    started: list[Worker] = []

    def start(**settings: str) -> Worker:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "tests.core.webhooks.worker_settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "DATABASE_CONN_MAX_AGE": "0",
            # Where the worker sends its own retries (countdown messages) and sweeps.
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **settings,
        }
        worker = Worker(queue, env, tmp_path / "worker.log")
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        app.conf.update(
            task_always_eager=saved[0], broker_url=saved[1], task_default_queue=saved[2]
        )
        _forget_routing()


def _wait(predicate: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    tail = log.read_text()[-3000:] if log.exists() else "(no worker log)"
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{tail}")


def _api() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {TokenFactory(user=recruiter()).key}")
    return client


def test_a_worker_delivers_and_retries_a_500_with_the_same_webhook_id(workers, tmp_path):
    # given a worker with sub-second backoff, and a receiver that takes the ping, fails once,
    # then accepts
    worker = workers(WEBHOOK_RETRY_BASE_SECONDS="0.5")
    with Receiver(Answer(200), Answer(500), Answer(200)) as receiver:
        endpoint = webhook_endpoint_create(url=receiver.url(), event_types=["candidate.created"])

        # when a candidate is created through the API (the delivery is enqueued on commit)
        response = _api().post("/api/v1/candidates/", {"full_name": "Ada"}, format="json")
        assert response.status_code == 201

        # then the worker delivered it twice, the same id, signed both times
        _wait(lambda: len(receiver.received) >= 3, 60, "the retry", worker.log)
        requests = receiver.received[1:3]
    assert requests[0].webhook_id == requests[1].webhook_id
    for request in requests:
        assert (
            Webhook(endpoint.secret).verify(request.body, request.headers)["data"]["id"]
            == (response.json()["id"])
        )
    delivery = WebhookDelivery.objects.get(event__type="candidate.created")
    _wait(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered",
        10,
        "the outcome to be recorded",
        worker.log,
    )
    assert [a.status_code for a in delivery.attempt_log.order_by("number")] == [500, 200]


def test_a_delivery_whose_worker_is_sigkilled_mid_post_is_still_made(workers, tmp_path):
    # given a receiver that takes the ping, then holds the next request until the test ends
    timings = {"WEBHOOK_LEASE_SECONDS": "6", "WEBHOOK_TIMEOUT_SECONDS": "5"}
    first = workers(**timings)
    held = threading.Event()
    with Receiver(Answer(200), Answer(200, block=held), Answer(200)) as receiver:
        endpoint = webhook_endpoint_create(url=receiver.url(), event_types=["candidate.created"])
        _wait(lambda: len(receiver.received) >= 1, 60, "the ping", first.log)
        response = _api().post("/api/v1/candidates/", {"full_name": "Grace"}, format="json")
        assert response.status_code == 201

        # when the worker is killed outright while its POST is in flight
        _wait(lambda: len(receiver.received) >= 2, 30, "the POST", first.log)
        first.kill()
        delivery = WebhookDelivery.objects.get(event__type="candidate.created")
        assert (delivery.status, delivery.attempts) == ("pending", 0)
        assert delivery.leased_until is not None

        # and another worker runs, with beat sweeping as it does every few seconds
        second = workers(**timings)
        deadline = time.monotonic() + 60
        while len(receiver.received) < 3 and time.monotonic() < deadline:
            sweep_webhook_deliveries()
            time.sleep(0.5)
        _wait(lambda: len(receiver.received) >= 3, 1, "the delivery again", second.log)
        killed, made = receiver.received[1:3]

    # then it was made, with the same webhook-id, and verifies
    assert killed.webhook_id == made.webhook_id
    Webhook(endpoint.secret).verify(made.body, made.headers)
    _wait(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered",
        10,
        "the outcome to be recorded",
        second.log,
    )
    # the killed attempt never got to record itself: at least once, not exactly once
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempts == 1
