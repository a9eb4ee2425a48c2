"""Starting, cancelling, resuming and refreshing re-implementation runs: the one launch service
the API, the admin, the command and beat all call. A run is delivered to a worker when the
surrounding transaction commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.requester import Actor, actor
from core.runs.lifecycle import run_cancel, run_enqueue, run_resume, runs_stale
from hiring.models import Opening
from sourcing.github.models import ImplementationRun
from sourcing.github.runs import implementation_run_create_for_paper
from sourcing.github.tasks import implementation_run_execute
from sourcing.models import Paper

Run = ImplementationRun
MAX_TOP_N = 50


def implementation_run_start_for_paper(
    *, paper: Paper, by: Actor = None, deliver: bool = True
) -> tuple[ImplementationRun, bool]:
    """Queue a run for ``paper``; returns ``(run, created)``. While a run for the paper is queued
    or running, that run is returned. ``deliver=False`` leaves a new run to the caller to
    execute (the command runs it in its own process)."""
    run, created = implementation_run_create_for_paper(paper=paper, by=by)
    if created and deliver:
        run_enqueue(task=implementation_run_execute, run=run)
    return run, created


def implementation_run_start_for_opening(
    *, opening: Opening, top_n: int, by: Actor = None
) -> ImplementationRun:
    """Queue a run over the opening's ``top_n`` papers (1 to ``MAX_TOP_N``); it starts one run
    per paper."""
    if isinstance(top_n, bool) or not isinstance(top_n, int) or not 1 <= top_n <= MAX_TOP_N:
        raise ValidationError({"top_n": [f"Choose between 1 and {MAX_TOP_N} papers."]})
    run = Run.objects.create(
        kind=Run.Kind.OPENING, opening=opening, top_n=top_n, requested_by=actor(by)
    )
    run_enqueue(task=implementation_run_execute, run=run)
    return run


def implementation_run_cancel(*, run: ImplementationRun, by: Actor = None) -> ImplementationRun:
    """Stop a queued or running run; its worker stops after the repository it is recording."""
    return run_cancel(run=run)


def implementation_run_resume(*, run: ImplementationRun, by: Actor = None) -> ImplementationRun:
    """Queue a failed or cancelled run again; it continues from its checkpoint."""
    try:
        with transaction.atomic():
            run = run_resume(run=run)
    except IntegrityError as exc:
        raise ValidationError(
            {"non_field_errors": ["Another run for this paper is already active."]}
        ) from exc
    run_enqueue(task=implementation_run_execute, run=run)
    return run


def papers_refresh_due(*, now: datetime | None = None) -> list[ImplementationRun]:
    """Start runs for papers searched before whose last run finished long enough ago (beat)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REIMPLEMENTATION_REFRESH_DAYS)
    due = (
        Paper.objects.filter(implementation_runs__kind=Run.Kind.PAPER)
        .annotate(last_finished=Max("implementation_runs__finished_at"))
        .filter(last_finished__lt=cutoff)
        .exclude(implementation_runs__status__in=Run.ACTIVE)
        .order_by("last_finished", "pk")[: settings.REIMPLEMENTATION_REFRESH_BATCH]
    )
    return [implementation_run_start_for_paper(paper=paper)[0] for paper in due]


def implementation_runs_requeue_stale() -> int:
    """Send again the runs a lost worker left running (``core.runs.lifecycle.runs_stale``)."""
    runs = runs_stale(Run)
    for run in runs:
        run_enqueue(task=implementation_run_execute, run=run)
    return len(runs)
