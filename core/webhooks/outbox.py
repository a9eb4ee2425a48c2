"""The outbox: a delivery row per (event, subscribed active endpoint), written by the receiver
of ``event_recorded`` inside the event's own transaction, so a change that rolls back sends
nothing and one that commits is never without its deliveries. The task that sends each one is
enqueued once the transaction commits; if that message is lost (a crash between commit and
send, a broker outage), the sweeper (``core.schedules``) sends it again when it is due.

The task is passed in by ``CoreConfig.ready`` (``connect``): ``core.tasks`` imports this
package, so this package cannot import it back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.db import transaction
from django.utils import timezone

from core.events.models import Event
from core.events.recording import event_recorded
from core.webhooks.models import WebhookDelivery, WebhookEndpoint

PING = "webhook.ping"


class Deliverable(Protocol):
    """A Celery task taking a delivery id (``task.delay(delivery_id)``)."""

    def delay(self, *args: Any, **kwargs: Any) -> Any: ...


# The delivery task, once connected (one per process).
_connected: dict[str, Deliverable] = {}


def connect(*, task: Deliverable) -> None:
    """Route new events to the outbox, and deliveries to ``task`` (from ``AppConfig.ready``)."""
    _connected["task"] = task
    event_recorded.connect(_on_event_recorded, sender=Event, dispatch_uid="webhooks-outbox")


def enqueue_on_commit(delivery_ids: Iterable[int]) -> None:
    """Send each delivery to a worker once the current transaction commits (at once outside
    one). Without a connected task (``ready`` not run) nothing is sent; the sweeper will."""
    ids = list(delivery_ids)
    task = _connected.get("task")
    if not ids or task is None:
        return

    def send() -> None:
        for delivery_id in ids:
            task.delay(delivery_id)

    transaction.on_commit(send)


def deliveries_create(*, event: Event) -> list[WebhookDelivery]:
    """The deliveries of ``event``: one per active endpoint subscribed to its type; a ping
    goes to the pinged endpoint only. Call inside the event's transaction."""
    endpoints = WebhookEndpoint.objects.filter(is_active=True).only("id", "event_types")
    if event.type == PING:
        endpoints = endpoints.filter(pk=event.object_id)
        targets = list(endpoints)
    else:
        targets = [e for e in endpoints if e.subscribes_to(event.type)]
    if not targets:
        return []
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=now, enqueued_at=now)
            for endpoint in targets
        ]
    )
    enqueue_on_commit(d.pk for d in deliveries)
    return deliveries


def _on_event_recorded(sender: Any, *, event: Event, **kwargs: Any) -> None:
    deliveries_create(event=event)
