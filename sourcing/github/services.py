"""Writes: start, execute, resume and refresh the runs that find implementations of papers.

A paper run discovers hits once (all sources), stores them in its checkpoint, then records one
repository at a time, saving the checkpoint after each; a redelivered, resumed or restarted run
skips what is done. Network I/O never happens inside a transaction."""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from config import inprocess
from hiring.models import Opening
from sourcing.github import selectors
from sourcing.github.clients import Toolkit, build_toolkit
from sourcing.github.errors import RateLimited, UpstreamError
from sourcing.github.models import Implementation, ImplementationRun
from sourcing.github.recording import implementation_record
from sourcing.github.sources import GITHUB_SEARCH, PAPER_LINKS, RepoHit, merge_hits
from sourcing.models import Paper

logger = logging.getLogger(__name__)

User = AuthUser | AnonymousUser | None
Run = ImplementationRun
MAX_TOP_N = 50


class RunFailed(Exception):
    """A run cannot proceed for a reason the recruiter can act on (the message says which)."""


def _actor(user: User) -> Any:
    return user if user is not None and user.is_authenticated else None


def _enqueue(run: ImplementationRun) -> None:
    from sourcing.github.tasks import implementation_run_execute

    run_id = run.pk
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no broker: in this process (config.inprocess)
        transaction.on_commit(lambda: inprocess.run(implementation_run_execute, run_id))
    else:
        transaction.on_commit(lambda: implementation_run_execute.delay(run_id))


# --- starting -----------------------------------------------------------------------------------


def implementation_run_start_for_paper(
    *,
    paper: Paper,
    by: User = None,
    parent: ImplementationRun | None = None,
    enqueue: bool = True,
) -> tuple[ImplementationRun, bool]:
    """Queue a run for ``paper``; returns ``(run, created)``. Idempotent: while a run for the
    paper is queued or running, that run is returned (the partial unique constraint settles a
    race between two starts). ``enqueue=False`` leaves a new run to the caller to execute (the
    command runs it in-process)."""
    active = Run.objects.filter(kind=Run.Kind.PAPER, paper=paper, status__in=Run.ACTIVE)
    if existing := active.first():
        return existing, False
    try:
        with transaction.atomic():
            run = Run.objects.create(
                kind=Run.Kind.PAPER, paper=paper, parent=parent, requested_by=_actor(by)
            )
    except IntegrityError:
        return active.get(), False
    if enqueue:
        _enqueue(run)
    return run, True


def implementation_run_start_for_opening(
    *, opening: Opening, top_n: int, by: User = None
) -> ImplementationRun:
    if not 1 <= top_n <= MAX_TOP_N:
        raise ValidationError({"top_n": [f"Choose between 1 and {MAX_TOP_N} papers."]})
    run = Run.objects.create(
        kind=Run.Kind.OPENING, opening=opening, top_n=top_n, requested_by=_actor(by)
    )
    _enqueue(run)
    return run


def implementation_run_resume(*, run: ImplementationRun, by: User = None) -> ImplementationRun:
    """Re-queue a failed run; it continues from its checkpoint."""
    try:
        with transaction.atomic():
            resumed = Run.objects.filter(pk=run.pk, status=Run.Status.FAILED).update(
                status=Run.Status.QUEUED, error="", finished_at=None
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"non_field_errors": ["Another run for this paper is already active."]}
        ) from exc
    if not resumed:
        raise ValidationError({"status": [f"Only failed runs resume; this one is {run.status}."]})
    run.refresh_from_db()
    _enqueue(run)
    return run


def papers_refresh_due(*, now: Any = None) -> list[ImplementationRun]:
    """Start runs for papers searched before whose last run finished long enough ago (beat)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REIMPLEMENTATION_REFRESH_DAYS)
    due = (
        Paper.objects.filter(implementation_runs__kind=Run.Kind.PAPER)
        .annotate(last_finished=Max("implementation_runs__finished_at"))
        .filter(last_finished__lt=cutoff)
        .exclude(
            implementation_runs__status__in=Run.ACTIVE,
        )
        .order_by("last_finished", "pk")[: settings.REIMPLEMENTATION_REFRESH_BATCH]
    )
    return [implementation_run_start_for_paper(paper=paper)[0] for paper in due]


def runs_requeue_stale() -> int:
    """Re-send runs left "running" by a worker that died (killed, machine lost) once they are
    silent for longer than any allowed wait; ``_claim`` lets exactly one delivery take them."""
    stale = timezone.now() - timedelta(seconds=settings.GITHUB_MAX_WAIT_SECONDS + 300)
    runs = list(Run.objects.filter(status=Run.Status.RUNNING, updated_at__lt=stale))
    for run in runs:
        _enqueue(run)
    return len(runs)


# --- executing ----------------------------------------------------------------------------------


def _claim(run_id: int) -> ImplementationRun | None:
    """Compare-and-set to running. A running run is taken over only when it has been silent
    longer than any wait it may be in (its worker died); otherwise a duplicate delivery no-ops."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.GITHUB_MAX_WAIT_SECONDS + 300)
    claimable = Q(status=Run.Status.QUEUED) | Q(status=Run.Status.RUNNING, updated_at__lt=stale)
    claimed = Run.objects.filter(claimable, pk=run_id).update(
        status=Run.Status.RUNNING, updated_at=now
    )
    if not claimed:
        return None
    run = Run.objects.select_related("paper", "opening__role_profile").get(pk=run_id)
    if run.started_at is None:
        run.started_at = now
        run.save(update_fields=["started_at", "updated_at"])
    return run


def _finish(run: ImplementationRun, *, status: str, error: str = "") -> None:
    Run.objects.filter(pk=run.pk, status=Run.Status.RUNNING).update(
        status=status, error=error, finished_at=timezone.now(), updated_at=timezone.now()
    )
    run.refresh_from_db()


def implementation_run_execute(
    *, run_id: int, toolkit: Toolkit | None = None
) -> ImplementationRun | None:
    """Execute (or continue) a run. Returns None when there is nothing to do (finished, or
    another worker has it). Never raises for upstream problems: they end as the run's error."""
    run = _claim(run_id)
    if run is None:
        return None
    try:
        if run.kind == Run.Kind.PAPER:
            _execute_paper(run, toolkit or build_toolkit())
        else:
            _execute_opening(run)
    except (UpstreamError, RunFailed) as exc:
        resumable = " (resumable)" if isinstance(exc, RateLimited) else ""
        _finish(run, status=Run.Status.FAILED, error=f"{exc}{resumable}")
        return run
    except SoftTimeLimitExceeded:
        error = "Ran out of time (task time limit); resume to continue from the checkpoint."
        _finish(run, status=Run.Status.FAILED, error=error)
        return run
    except Exception as exc:
        logger.exception("implementation run %s crashed", run.pk)
        error = f"Internal error ({type(exc).__name__}): {exc}"
        _finish(run, status=Run.Status.FAILED, error=error)
        return run
    _finish(run, status=Run.Status.SUCCEEDED)
    return run


def _save_progress(run: ImplementationRun) -> None:
    run.save(update_fields=["checkpoint", "progress", "updated_at"])


def _discover(toolkit: Toolkit, run: ImplementationRun) -> None:
    assert run.paper is not None
    ref = selectors.paper_ref(paper=run.paper)
    hits: list[RepoHit] = []
    notes: list[str] = []
    for source in toolkit.sources:
        try:
            found = source.find(ref)
        except UpstreamError as exc:
            if source.name in (GITHUB_SEARCH, PAPER_LINKS):
                raise
            # Catalogues are optional: without them we still have GitHub's own search.
            notes.append(f"{source.name} unavailable: {exc}")
            continue
        hits.extend(found.hits)
        notes.extend(found.notes)
    groups = list(merge_hits(hits).values())
    run.checkpoint = {"hits": [[asdict(h) for h in group] for group in groups], "done": []}
    run.progress = {
        "found": len(groups),
        "recorded": 0,
        "skipped": 0,
        "official": 0,
        "reimplementation": 0,
        "notes": notes,
        "repositories": [],
    }
    _save_progress(run)


def _execute_paper(run: ImplementationRun, toolkit: Toolkit) -> None:
    paper = run.paper
    assert paper is not None
    if not isinstance(run.checkpoint.get("hits"), list):
        _discover(toolkit, run)
    ref = selectors.paper_ref(paper=paper)
    authors = selectors.paper_authors(paper=paper)
    done = set(run.checkpoint.get("done", []))
    for group in run.checkpoint["hits"]:
        hits = [RepoHit(**hit) for hit in group]
        key = hits[0].full_name.lower()
        if key in done:
            continue
        outcome = implementation_record(
            api=toolkit.github, paper=paper, ref=ref, authors=authors, hits=hits
        )
        progress = run.progress
        progress[outcome.status] = progress.get(outcome.status, 0) + 1
        if outcome.verdict:
            progress[outcome.verdict] = progress.get(outcome.verdict, 0) + 1
        progress.setdefault("repositories", []).append(
            {"full_name": outcome.full_name, "status": outcome.status, "note": outcome.note}
        )
        done.add(key)
        run.checkpoint["done"] = sorted(done)
        _save_progress(run)
    paper_counts_refresh(paper=paper)


def paper_counts_refresh(*, paper: Paper) -> None:
    """What the arXiv ranking reads: re-implementations and whether official code exists
    (repositories GitHub no longer serves do not count)."""
    live = Implementation.objects.filter(paper=paper, repository__gone_at__isnull=True)
    Paper.objects.filter(pk=paper.pk).update(
        reimplementation_count=live.filter(verdict=Implementation.Verdict.REIMPLEMENTATION).count(),
        has_official_code=live.filter(verdict=Implementation.Verdict.OFFICIAL).exists(),
    )


def _execute_opening(run: ImplementationRun) -> None:
    assert run.opening is not None
    if not isinstance(run.checkpoint.get("paper_ids"), list):
        papers = selectors.opening_top_papers(opening=run.opening, top_n=run.top_n or 5)
        run.checkpoint = {"paper_ids": [p.pk for p in papers]}
        _save_progress(run)
    paper_ids = run.checkpoint["paper_ids"]
    if not paper_ids:
        raise RunFailed(
            "No papers match this opening's role yet (no arXiv prospects, and no paper in its "
            "categories or keywords); import papers with arXiv sourcing first."
        )
    children = []
    for paper in Paper.objects.filter(pk__in=paper_ids).order_by("pk"):
        child, _ = implementation_run_start_for_paper(paper=paper, parent=run)
        children.append(child.pk)
    run.progress = {"papers": len(paper_ids), "paper_runs": children}
    _save_progress(run)
