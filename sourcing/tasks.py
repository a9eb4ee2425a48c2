"""Celery tasks: thin, take ids, idempotent (a run is claimed by compare-and-set and each batch
commits with its checkpoint, ``core.runs.lifecycle``).

``acks_late``: a worker killed mid-run leaves the message unacknowledged, Redis redelivers it
after the visibility timeout, and the new delivery resumes from the committed checkpoint. Beat's
tasks are in ``sourcing.schedules``: they start runs, so they sit above the launch service."""

from __future__ import annotations

import random
import time

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from sourcing.arxiv.client import RetryLater
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.errors import TransientSourcingError

MAX_RETRIES = 6
# Leave the task a margin before its soft limit to commit and re-enqueue itself.
BUDGET_MARGIN = 120


@shared_task(
    bind=True,
    name="sourcing.tasks.run_sourcing",
    acks_late=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def run_sourcing(self: Task, run_id: int) -> str:
    budget = max(30, settings.CELERY_TASK_SOFT_TIME_LIMIT - BUDGET_MARGIN)
    try:
        outcome = sourcing_run_execute(
            run_id=run_id,
            deadline=time.monotonic() + budget,
            final_attempt=self.request.retries >= MAX_RETRIES,
        )
    except RetryLater as exc:
        raise self.retry(exc=exc, countdown=exc.retry_after) from exc
    except (TransientSourcingError, OperationalError, InterfaceError) as exc:
        # Exponential backoff with jitter, capped at 15 minutes.
        countdown = min(900, 30 * 2**self.request.retries) * random.uniform(0.5, 1.0)
        raise self.retry(exc=exc, countdown=countdown) from exc
    if outcome == "continue":
        # Out of this delivery's time: the next one continues from the checkpoint.
        run_sourcing.delay(run_id)
    return outcome
