"""core's Celery task: deliver one webhook delivery, by id.

Idempotent by construction: each attempt is claimed by compare-and-set (``core.webhooks.
attempts``), so a duplicate or redelivered message finds nothing to do. ``acks_late``: a worker
killed mid-POST leaves the message unacknowledged and Redis hands it out again; the delivery's
lease (and the sweeper behind it) make sure it is still made once the dead attempt's lease ends.
Receivers' failures are not Celery retries: the delivery row holds its own schedule. Only the
database failing is retried here, briefly."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from core.webhooks.attempts import webhook_delivery_attempt


@shared_task(
    name="core.tasks.deliver_webhook",
    acks_late=True,
    ignore_result=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
    # Within the delivery's lease, so a live attempt never loses it to another worker.
    soft_time_limit=max(5, settings.WEBHOOK_LEASE_SECONDS - 10),
    time_limit=max(10, settings.WEBHOOK_LEASE_SECONDS - 5),
)
def deliver_webhook(delivery_id: int) -> str:
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome is None:
        return "nothing to do"
    if outcome.retry_in is not None:
        deliver_webhook.apply_async(args=(delivery_id,), countdown=outcome.retry_in)
    return outcome.status
