"""The services that move a background run through its lifecycle, for every run kind.

    queued --claim--> running --finish--> succeeded
       ^                 |  \\--fail----> failed ----\\
       |                 \\---cancel---> cancelled --+--resume--> queued

Every status change is a compare-and-set (``filter(pk=..., status__in=...).update(...)``, then
the row count), so two deliveries of one task, a recruiter's cancel and a worker's finish can
race without a lost update. A batch commits in one transaction with the checkpoint it advances
to, after checking (row locked) that the run is still running at the checkpoint the batch
started from: a redelivered or duplicated task never writes a batch twice, and a killed worker
loses at most the batch in flight.

Functions take the concrete model class (``SourcingRun``, ``ImplementationRun``); delivery to a
worker is the caller's task, passed in (``run_enqueue``), so this module imports no app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from core.events.recording import event_record
from core.runs.errors import RunStopped
from core.runs.models import BackgroundRun, RunStatus

logger = logging.getLogger(__name__)
R = TypeVar("R", bound=BackgroundRun)
MAX_ERROR_LENGTH = 5000


class Deliverable(Protocol):
    """A Celery task taking a run id (``task.delay(run_id)``)."""

    def delay(self, *args: Any, **kwargs: Any) -> Any: ...


def run_enqueue(*, task: Deliverable, run: BackgroundRun) -> None:
    """Send the run to a worker once the surrounding transaction commits (at once outside one)."""
    run_id = run.pk
    transaction.on_commit(lambda: task.delay(run_id))


def run_claim(model: type[R], *, run_id: int, related: Iterable[str] = ()) -> R | None:
    """Compare-and-set to running: a queued run, or a running one silent for longer than
    ``model.stale_after()`` (its worker is lost). ``None`` when the run ended, was cancelled, or
    a live delivery has it. Sets ``started_at`` once and the heartbeat."""
    stale = timezone.now() - model.stale_after()
    claimable = Q(status=RunStatus.QUEUED) | Q(status=RunStatus.RUNNING, heartbeat_at__lte=stale)
    claimed = model._default_manager.filter(claimable, pk=run_id).update(
        status=RunStatus.RUNNING, started_at=Coalesce(F("started_at"), Now()), heartbeat_at=Now()
    )
    if not claimed:
        return None
    return model._default_manager.select_related(*related).get(pk=run_id)


def run_note(model: type[BackgroundRun], *, run_id: int, note: str) -> None:
    """Say what a running run is doing while it makes no progress ("retrying in 6 s...");
    also a sign of life. The next committed batch clears it."""
    model._default_manager.filter(pk=run_id, status=RunStatus.RUNNING).update(
        note=note[: model._meta.get_field("note").max_length or 300], heartbeat_at=Now()
    )


def run_heartbeat(*, run: BackgroundRun) -> None:
    """A sign of life while a worker waits (upstream rate limits), so the run is not taken for
    lost; only while it is still running."""
    run.heartbeat_at = timezone.now()
    type(run)._default_manager.filter(pk=run.pk, status=RunStatus.RUNNING).update(
        heartbeat_at=run.heartbeat_at
    )


def run_commit_batch(
    model: type[R],
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    write: Callable[[R], Iterable[str]] | None = None,
    related: Iterable[str] = (),
) -> R:
    """Write one batch and advance the run to ``checkpoint``, all or nothing.

    Locks the run row, then raises ``RunStopped`` (writing nothing) unless the run is running at
    ``expected_checkpoint``. ``write(run)`` writes the batch inside the same transaction and
    returns the run fields it changed (counters), saved with the checkpoint and heartbeat. Lock
    order: the run row first, then whatever ``write`` locks."""
    with transaction.atomic():
        run = (
            model._default_manager.select_for_update(of=("self",))
            .select_related(*related)
            .get(pk=run_id)
        )
        if run.status != RunStatus.RUNNING:
            raise RunStopped(f"run {run_id} is {run.status}")
        if run.checkpoint != expected_checkpoint:
            raise RunStopped(f"run {run_id} moved on to {run.checkpoint}")
        fields = {"checkpoint", "heartbeat_at", "note"}
        if write is not None:
            fields.update(write(run))
        run.checkpoint = checkpoint
        run.heartbeat_at = timezone.now()
        run.note = ""
        run.save(update_fields=sorted(fields))
    return run


def run_finish(model: type[BackgroundRun], *, run_id: int) -> bool:
    """Running → succeeded, with its ``<kind>.finished`` event; ``False`` when it was no longer
    running (cancelled meanwhile)."""
    with transaction.atomic():
        ended = model._default_manager.filter(pk=run_id, status=RunStatus.RUNNING).update(
            status=RunStatus.SUCCEEDED, finished_at=Now(), heartbeat_at=Now(), error="", note=""
        )
        if ended:
            _record_finished(model, run_id)
    return bool(ended)


def run_fail(model: type[BackgroundRun], *, run_id: int, error: str) -> bool:
    """Queued or running → failed with its reason and its ``<kind>.finished`` event; ``False``
    when it had already ended."""
    logger.warning("%s %s failed: %s", model._meta.verbose_name, run_id, error)
    with transaction.atomic():
        ended = model._default_manager.filter(pk=run_id, status__in=model.ACTIVE).update(
            status=RunStatus.FAILED,
            finished_at=Now(),
            heartbeat_at=Now(),
            error=error[:MAX_ERROR_LENGTH],
            note="",
        )
        if ended:
            _record_finished(model, run_id)
    return bool(ended)


def _record_finished(model: type[BackgroundRun], run_id: int) -> None:
    run = model._default_manager.get(pk=run_id)
    event_record(
        type=f"{model.EVENT_PREFIX}.finished",
        obj=run,
        changes={"status": [RunStatus.RUNNING, run.status]},
        opening_ids=[getattr(run, "opening_id", None)],
    )


def run_cancel(*, run: R) -> R:
    """Stop a queued or running run; its worker notices at its next batch (``RunStopped``).
    A run that has ended cannot be cancelled (a 400 naming the status)."""
    updated = (
        type(run)
        ._default_manager.filter(pk=run.pk, status__in=run.ACTIVE)
        .update(status=RunStatus.CANCELLED, finished_at=Now(), note="")
    )
    if not updated:
        raise ValidationError({"status": [f"A {run.status} run cannot be cancelled."]})
    run.refresh_from_db()
    return run


def run_resume(*, run: R) -> R:
    """Queue a failed or cancelled run again; it continues from its checkpoint. The caller
    delivers it (``run_enqueue``) or executes it in its own process (the commands)."""
    updated = (
        type(run)
        ._default_manager.filter(pk=run.pk, status__in=run.RESUMABLE)
        .update(status=RunStatus.QUEUED, finished_at=None, error="")
    )
    if not updated:
        raise ValidationError({"status": [f"A {run.status} run cannot be resumed."]})
    run.refresh_from_db()
    return run


def runs_stale(model: type[R]) -> list[R]:
    """Runs left running by a lost worker (silent for longer than ``model.stale_after()``), for
    the sweeper to send again; ``run_claim`` lets exactly one delivery take each."""
    stale = timezone.now() - model.stale_after()
    return list(model._default_manager.filter(status=RunStatus.RUNNING, heartbeat_at__lte=stale))
