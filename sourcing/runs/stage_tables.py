"""Staging tables a two-pass snapshot import left behind (``sourcing.store.keyed``).

A run drops its table when it succeeds. A failed or cancelled run keeps it, so that resuming
continues where it stopped; but the table of a whole-arXiv import holds ~10 million mentions
(~1.5 GB), so it is kept ``SOURCING_STAGE_KEEP_DAYS`` after the run stopped and then dropped by
beat's daily sweep. Resuming such a run afterwards fails saying its staged mentions are gone,
and the import is started again (every write is an upsert). Tables of runs that no longer exist
or that succeeded go at once; a queued or running run's table is never touched."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.runs.models import RunStatus
from sourcing.models import SourcingRun
from sourcing.store import keyed


def _stale(run: SourcingRun | None, before: dt.datetime) -> bool:
    if run is None or run.status == RunStatus.SUCCEEDED:
        return True
    if run.status not in SourcingRun.RESUMABLE:
        return False
    return run.finished_at is None or run.finished_at < before


def stage_tables_drop_stale(*, now: dt.datetime | None = None) -> list[int]:
    """Drop the staging tables no run will read again; returns their runs' ids. Each run's row
    is locked while its table is judged and dropped, so a resume cannot slip in between."""
    if connection.vendor != "postgresql":
        return []  # two passes run on PostgreSQL only
    before = (now or timezone.now()) - dt.timedelta(days=settings.SOURCING_STAGE_KEEP_DAYS)
    dropped = []
    for run_id in keyed.stage_runs():
        with transaction.atomic():
            run = SourcingRun.objects.select_for_update().filter(pk=run_id).first()
            if _stale(run, before):
                keyed.stage_drop(run_id)
                dropped.append(run_id)
    return dropped
