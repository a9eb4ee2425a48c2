"""Tasks beat starts for core (``CELERY_BEAT_SCHEDULE``); each calls a core service."""

from __future__ import annotations

from celery import shared_task

from core.idempotency.services import idempotency_keys_purge


@shared_task(name="core.schedules.purge_idempotency_keys", ignore_result=True)
def purge_idempotency_keys() -> int:
    return idempotency_keys_purge()
