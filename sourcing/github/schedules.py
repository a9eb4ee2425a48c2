"""Tasks beat starts (``CELERY_BEAT_SCHEDULE``); each calls the launch service, as the API does."""

from __future__ import annotations

from celery import shared_task

from sourcing.github import launch
from sourcing.github.etag_store import cached_responses_prune


@shared_task(name="sourcing.github.schedules.implementations_refresh_due", ignore_result=True)
def implementations_refresh_due() -> None:
    launch.implementation_runs_requeue_stale()
    launch.papers_refresh_due()
    cached_responses_prune()
