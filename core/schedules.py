"""What beat starts for core: the webhook sweeper, which sends every due delivery that no
worker holds (retries, and messages lost between a commit and the broker or with a worker), and
the purge of expired idempotency keys."""

from __future__ import annotations

from celery import shared_task

from core.idempotency.services import idempotency_keys_purge
from core.tasks import deliver_webhook
from core.webhooks.attempts import webhook_deliveries_due


@shared_task(name="core.schedules.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    return idempotency_keys_purge()


@shared_task(name="core.schedules.sweep_webhook_deliveries", ignore_result=True)
def sweep_webhook_deliveries() -> int:
    ids = webhook_deliveries_due()
    for delivery_id in ids:
        deliver_webhook.delay(delivery_id)
    return len(ids)
