"""Thin Celery tasks: they take ids and call services. Idempotent by construction: a run is
claimed by compare-and-set and continues from its checkpoint; rows are upserted on natural keys
(repository full name, owner login, paper + repository)."""

from __future__ import annotations

from celery import shared_task

from sourcing.github import services
from sourcing.github.etag_store import cached_responses_prune


@shared_task(acks_late=True, ignore_result=True)
def implementation_run_execute(run_id: int) -> None:
    # Upstream failures end on the run itself (status failed + error), so nothing is retried
    # blindly here; rate limits are waited out inside the client, within a cap.
    services.implementation_run_execute(run_id=run_id)


@shared_task(ignore_result=True)
def implementations_refresh_due() -> None:
    services.runs_requeue_stale()
    services.papers_refresh_due()
    cached_responses_prune()
