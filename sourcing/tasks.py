"""Celery tasks: thin, take ids, idempotent (see ``services.sourcing_run_commit_batch``).

``acks_late``: a worker killed mid-run leaves the message unacknowledged, Redis redelivers it
after the visibility timeout, and the new delivery resumes from the committed checkpoint."""

from __future__ import annotations

import logging
import random
import time

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from config import inprocess
from sourcing import services
from sourcing.arxiv.client import RetryLater
from sourcing.errors import TransientSourcingError
from sourcing.models import SourcingRun
from sourcing.runner import sourcing_run_execute

logger = logging.getLogger(__name__)

MAX_RETRIES = 6
# Leave the task a margin before its soft limit to commit and re-enqueue itself.
BUDGET_MARGIN = 120


@shared_task(bind=True, acks_late=True, max_retries=MAX_RETRIES, ignore_result=True)
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
        run_sourcing_deliver(run_id)
    return outcome


def run_sourcing_deliver(run_id: int) -> None:
    """Hand a run to a worker. Without a broker (``make run``) it runs in this process
    (``config.inprocess``), as its last attempt: nothing would deliver a retry later. A
    transient failure then ends the run failed with its reason, resumable like any failed run."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        run_sourcing.delay(run_id)
        return
    inprocess.run(_run_in_process, run_id)


def _run_in_process(run_id: int) -> None:
    result = run_sourcing.apply(args=(run_id,), retries=MAX_RETRIES, throw=False)
    if result.failed():
        # The runner has already marked the run failed with the error; keep the trace too.
        logger.error("sourcing run %s failed in-process: %r", run_id, result.result)


@shared_task(acks_late=True, ignore_result=True)
def harvest_arxiv_oai_nightly() -> list[int]:
    """Beat entry: one OAI-PMH run per configured set from its last datestamp, ranking
    prospects for every active role. A set with a harvest still queued or running is skipped."""
    started = []
    for set_spec in settings.ARXIV_OAI_SETS:
        busy = SourcingRun.objects.filter(
            kind=SourcingRun.Kind.OAI, parameters__set=set_spec, status__in=services.ACTIVE
        ).exists()
        if busy:
            continue
        run = services.sourcing_run_create(
            kind=SourcingRun.Kind.OAI, parameters={"set": set_spec, "all_roles": True}
        )
        services.sourcing_run_enqueue(run=run)
        started.append(run.pk)
    return started
