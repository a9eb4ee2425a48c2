"""hiring's Celery task: send one queued e-mail, by id (``hiring.services.messages``).

Idempotent by construction: each attempt claims the message by compare-and-set, so a duplicate
or redelivered task finds it sent or taken and sends nothing. ``acks_late``: a worker killed
mid-send leaves the task unacknowledged for Redis to hand out again, and the message's lease
(and the sweeper behind it) make sure it is sent once that lease ends. A failed attempt is
retried with the service's backoff, up to the message's attempts."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings

from hiring.services.messages import message_send_attempt


@shared_task(
    bind=True,
    name="hiring.tasks.send_message",
    acks_late=True,
    ignore_result=True,
    # The row's max_attempts is the real bound; this only has to be above it, and makes the
    # in-process runner (config.inprocess) treat its one call as the last attempt.
    max_retries=50,
    # Within the message's lease, so a live attempt never loses it to another worker.
    soft_time_limit=max(5, settings.MAIL_LEASE_SECONDS - 10),
    time_limit=max(10, settings.MAIL_LEASE_SECONDS - 5),
)
def send_message(self: Any, message_id: int) -> str:
    outcome = message_send_attempt(message_id=message_id)
    if outcome is None:
        return "nothing to do"
    if outcome.retry_in is not None:
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status
