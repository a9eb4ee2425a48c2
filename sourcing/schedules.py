"""Tasks beat starts (``CELERY_BEAT_SCHEDULE``); each calls the launch service, as the API does."""

from __future__ import annotations

from celery import shared_task

from sourcing.launch import sourcing_runs_launch_nightly_harvest
from sourcing.runs.stage_tables import stage_tables_drop_stale


@shared_task(name="sourcing.schedules.harvest_arxiv_oai_nightly", ignore_result=True)
def harvest_arxiv_oai_nightly() -> list[int]:
    return [run.pk for run in sourcing_runs_launch_nightly_harvest()]


@shared_task(name="sourcing.schedules.drop_stale_stage_tables", ignore_result=True)
def drop_stale_stage_tables() -> list[int]:
    return stage_tables_drop_stale()
