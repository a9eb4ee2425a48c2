"""Staging tables of two-pass imports are dropped once no run will read them again
(``sourcing.runs.stage_tables``): a stopped run's after ``SOURCING_STAGE_KEEP_DAYS``, a
succeeded or deleted run's at once, an active run's never."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from core.runs.models import RunStatus
from sourcing import schedules
from sourcing.launch import sourcing_run_create
from sourcing.models import SourcingRun
from sourcing.store import keyed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _run_with_stage(status: str, *, stopped_days_ago: float | None = None) -> SourcingRun:
    run = sourcing_run_create(kind="snapshot", parameters={"path": "/data/snapshot.jsonl"})
    finished = (
        None if stopped_days_ago is None else timezone.now() - dt.timedelta(days=stopped_days_ago)
    )
    SourcingRun.objects.filter(pk=run.pk).update(status=status, finished_at=finished)
    keyed.stage_create(run.pk)
    return run


def test_the_sweep_drops_only_tables_no_run_will_read(postgres):
    keep = settings.SOURCING_STAGE_KEEP_DAYS
    running = _run_with_stage(RunStatus.RUNNING)
    queued = _run_with_stage(RunStatus.QUEUED)
    failed_lately = _run_with_stage(RunStatus.FAILED, stopped_days_ago=keep - 1)
    cancelled_long_ago = _run_with_stage(RunStatus.CANCELLED, stopped_days_ago=keep + 1)
    failed_long_ago = _run_with_stage(RunStatus.FAILED, stopped_days_ago=keep + 0.5)
    succeeded = _run_with_stage(RunStatus.SUCCEEDED, stopped_days_ago=0)
    deleted = _run_with_stage(RunStatus.FAILED, stopped_days_ago=0)
    SourcingRun.objects.filter(pk=deleted.pk).delete()

    dropped = schedules.drop_stale_stage_tables.apply().get()

    assert sorted(dropped) == sorted(
        [cancelled_long_ago.pk, failed_long_ago.pk, succeeded.pk, deleted.pk]
    )
    assert keyed.stage_runs() == sorted([running.pk, queued.pk, failed_lately.pk])
    assert keyed.stage_count(failed_lately.pk) == 0  # kept, resumable
    assert keyed.stage_count(failed_long_ago.pk) is None
    # and it runs every day
    entry = settings.CELERY_BEAT_SCHEDULE["sourcing-drop-stale-stage-tables"]
    assert entry["task"] == "sourcing.schedules.drop_stale_stage_tables"


def test_a_run_resumed_after_its_table_was_dropped_fails_saying_so(postgres, tmp_path):
    from sourcing.arxiv.runner import sourcing_run_execute
    from sourcing.launch import sourcing_run_resume

    path = tmp_path / "snapshot.jsonl"
    path.write_text("")
    run = _run_with_stage(RunStatus.FAILED, stopped_days_ago=settings.SOURCING_STAGE_KEEP_DAYS + 1)
    SourcingRun.objects.filter(pk=run.pk).update(
        parameters={"path": str(path)},
        checkpoint={"keyed": True, "phase": "papers", "seq": 10, "offset": 0, "line": 0},
    )
    schedules.drop_stale_stage_tables.apply().get()

    run.refresh_from_db()
    sourcing_run_resume(run=run, deliver=False)
    assert sourcing_run_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert "staged author mentions are gone" in run.error
    assert "dropped after" in run.error
