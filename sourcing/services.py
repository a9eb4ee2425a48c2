"""Writes of sourcing runs: create, start, commit a batch, finish, fail, cancel, resume.

The run row is the coordination point. A batch commits in one transaction together with the
run's new checkpoint and counters, after checking (row locked) that the run is still running and
still at the checkpoint the batch started from; so a redelivered or duplicated task never writes
a batch twice, and a killed worker loses at most the batch in flight."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as AuthUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce, Now
from django.utils import timezone

from hiring.models import Opening, RoleProfile
from sourcing import bulk, prospects, ranking
from sourcing.errors import PeopleChanged, RunStopped
from sourcing.ingest import BatchOutcome, BatchPlan, ingest_batch
from sourcing.models import SourcingRun
from sourcing.people.cache import PeopleCache
from sourcing.people.generation import people_generation, people_generation_bump, people_lock
from sourcing.records import PaperRecord

logger = logging.getLogger(__name__)
User = AuthUser | AnonymousUser | None
Status = SourcingRun.Status
ACTIVE = (Status.QUEUED, Status.RUNNING)


def _actor(user: User) -> Any:
    return user if user is not None and user.is_authenticated else None


def _validate_parameters(kind: str, parameters: dict[str, Any]) -> None:
    if kind not in SourcingRun.Kind.values:
        raise ValidationError({"kind": [f'"{kind}" is not a kind of run.']})
    if kind == SourcingRun.Kind.SNAPSHOT and not parameters.get("path"):
        raise ValidationError({"parameters": ["A snapshot run needs a file path."]})
    for key in ("from", "to"):
        value = parameters.get(key)
        if value:
            try:
                dt.date.fromisoformat(str(value))
            except ValueError as exc:
                raise ValidationError({key: [f"{value!r} is not a YYYY-MM-DD date."]}) from exc
    max_results = parameters.get("max_results")
    if max_results is not None and (not isinstance(max_results, int) or max_results < 1):
        raise ValidationError({"max_results": ["Expected a positive whole number."]})


def sourcing_run_create(
    *,
    kind: str,
    parameters: dict[str, Any] | None = None,
    role_profile: RoleProfile | None = None,
    opening: Opening | None = None,
    by: User = None,
) -> SourcingRun:
    """A queued run. An opening implies its role profile. API runs need a role or a query."""
    parameters = dict(parameters or {})
    _validate_parameters(kind, parameters)
    if opening is not None and role_profile is None:
        role_profile = opening.role_profile
    if kind == SourcingRun.Kind.API and not parameters.get("query"):
        if role_profile is None:
            raise ValidationError({"non_field_errors": ["Give a role (or opening) or a query."]})
        if not (role_profile.sourcing_categories or role_profile.sourcing_keywords):
            raise ValidationError(
                {"role_profile": ["This role has no sourcing categories or keywords."]}
            )
    return SourcingRun.objects.create(
        kind=kind,
        parameters=parameters,
        role_profile=role_profile,
        opening=opening,
        started_by=_actor(by),
    )


def sourcing_run_enqueue(*, run: SourcingRun) -> None:
    """Send the run to a worker once the surrounding transaction commits."""
    from sourcing.tasks import run_sourcing_deliver

    run_id = run.pk
    transaction.on_commit(lambda: run_sourcing_deliver(run_id))


def sourcing_run_start(*, run_id: int) -> SourcingRun | None:
    """Compare-and-set queued/running -> running. ``None`` when the run already ended (a late
    redelivery) or was cancelled. A run found running is resumed: its worker died."""
    claimed = SourcingRun.objects.filter(pk=run_id, status__in=ACTIVE).update(
        status=Status.RUNNING, started_at=Coalesce(F("started_at"), Now()), heartbeat_at=Now()
    )
    if not claimed:
        return None
    return SourcingRun.objects.get(pk=run_id)


def _lock_people() -> None:
    # Not waiting for the WAL flush at commit: a database crash can lose the last few batches,
    # but always together with the checkpoint that covers them (same transaction), so the run
    # simply redoes them. It halves the cost of a batch.
    people_lock(fast_commit=True)


def _roles_for(run: SourcingRun) -> list[RoleProfile]:
    if run.role_profile is not None:
        return [run.role_profile]
    if run.parameters.get("all_roles"):
        return [r for r in RoleProfile.objects.filter(is_active=True) if r.sourcing_categories]
    return []


def _matching_first_authors(
    run: SourcingRun, role: RoleProfile, records: Sequence[PaperRecord], outcome: BatchOutcome
) -> set[int]:
    # An API run built from the role's own query matched by construction.
    match_all = (
        run.kind == SourcingRun.Kind.API
        and not run.parameters.get("query")
        and run.role_profile_id == role.pk
    )
    people = set()
    for record in records:
        paper_id = outcome.paper_ids.get(record.arxiv_id)
        if paper_id is None or paper_id not in outcome.first_authors:
            continue
        if match_all or ranking.paper_matches_role(
            title=record.title,
            abstract=record.abstract,
            categories=record.categories,
            keywords=role.sourcing_keywords,
            role_categories=role.sourcing_categories,
        ):
            people.add(outcome.first_authors[paper_id])
    return people


def sourcing_run_commit_batch(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    records: Sequence[PaperRecord] = (),
    processed: int = 0,
    total: int | None = None,
    people: PeopleCache | None = None,
) -> SourcingRun:
    """Write one batch and advance the run, all or nothing. Raises ``RunStopped`` (writing
    nothing) unless the run is running at ``expected_checkpoint``. Lock order: run row, then the
    people lock. ``people``: the run's people cache, emptied when the batch does not commit
    (its in-memory changes were rolled back)."""

    def ingest() -> tuple[Sequence[PaperRecord], BatchOutcome]:
        return records, ingest_batch(records, people=people)

    try:
        return _commit(
            run_id=run_id,
            expected_checkpoint=expected_checkpoint,
            checkpoint=checkpoint,
            ingest=ingest if records else None,
            processed=processed,
            total=total,
        )
    except BaseException:
        if people is not None:
            people.invalidate()
        raise


def sourcing_run_commit_plan(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    plan: BatchPlan,
    processed: int = 0,
    total: int | None = None,
) -> SourcingRun:
    """Write a batch decided beforehand (``ingest.plan_batch``) and advance the run, all or
    nothing, as ``sourcing_run_commit_batch`` does. Raises ``PeopleChanged`` (writing nothing)
    when the people generation is no longer the one the plan was decided at: someone else
    changed people since, and the plan may rest on what they changed."""

    def ingest() -> tuple[Sequence[PaperRecord], BatchOutcome]:
        if people_generation() != plan.generation:
            raise PeopleChanged(f"people changed since run {run_id}'s batch was decided")
        try:
            bulk.write(plan.writes)
        except IntegrityError as exc:
            # A paper planned as new was stored meanwhile, or a person planned as known is
            # gone, by something that does not move the people generation: same remedy.
            raise PeopleChanged(f"rows changed since run {run_id}'s batch was decided") from exc
        people_generation_bump()
        return plan.records, plan.outcome

    return _commit(
        run_id=run_id,
        expected_checkpoint=expected_checkpoint,
        checkpoint=checkpoint,
        ingest=ingest if plan.records else None,
        processed=processed,
        total=total,
    )


def _commit(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    ingest: Callable[[], tuple[Sequence[PaperRecord], BatchOutcome]] | None,
    processed: int,
    total: int | None,
) -> SourcingRun:
    with transaction.atomic():
        run = (
            SourcingRun.objects.select_for_update(of=("self",))
            .select_related("role_profile")
            .get(pk=run_id)
        )
        if run.status != Status.RUNNING:
            raise RunStopped(f"run {run_id} is {run.status}")
        if run.checkpoint != expected_checkpoint:
            raise RunStopped(f"run {run_id} moved on to {run.checkpoint}")
        fields = ["checkpoint", "processed", "heartbeat_at"]
        if ingest is not None:
            _lock_people()
            records, outcome = ingest()
            run.papers_count += outcome.papers
            run.people_count += outcome.new_people
            fields += ["papers_count", "people_count"]
            for role in _roles_for(run):
                person_ids = _matching_first_authors(run, role, records, outcome)
                prospects.prospects_refresh(role_profile=role, person_ids=person_ids, run=run)
                run.candidates_count += prospects.candidates_for_people(person_ids=person_ids)
                fields.append("candidates_count")
        run.checkpoint = checkpoint
        run.processed += processed
        run.heartbeat_at = timezone.now()
        if total is not None:
            run.total = total
            fields.append("total")
        run.save(update_fields=fields)
    return run


def sourcing_run_finish(*, run_id: int) -> bool:
    return bool(
        SourcingRun.objects.filter(pk=run_id, status=Status.RUNNING).update(
            status=Status.SUCCEEDED, finished_at=Now(), error=""
        )
    )


def sourcing_run_fail(*, run_id: int, error: str) -> bool:
    logger.warning("sourcing run %s failed: %s", run_id, error)
    return bool(
        SourcingRun.objects.filter(pk=run_id, status__in=ACTIVE).update(
            status=Status.FAILED, finished_at=Now(), error=error[:5000]
        )
    )


def sourcing_run_cancel(*, run: SourcingRun, by: User = None) -> SourcingRun:
    """Stop a queued or running run; the worker notices at its next batch."""
    updated = SourcingRun.objects.filter(pk=run.pk, status__in=ACTIVE).update(
        status=Status.CANCELLED, finished_at=Now()
    )
    if not updated:
        raise ValidationError({"status": [f"A {run.status} run cannot be cancelled."]})
    run.refresh_from_db()
    return run


def sourcing_run_resume(*, run: SourcingRun, by: User = None, enqueue: bool = True) -> SourcingRun:
    """Queue a failed or cancelled run again; it continues from its checkpoint. ``enqueue=False``
    for a caller that executes it in its own process (the management commands)."""
    updated = SourcingRun.objects.filter(
        pk=run.pk, status__in=(Status.FAILED, Status.CANCELLED)
    ).update(status=Status.QUEUED, finished_at=None, error="")
    if not updated:
        raise ValidationError({"status": [f"A {run.status} run cannot be resumed."]})
    run.refresh_from_db()
    if enqueue:
        sourcing_run_enqueue(run=run)
    return run
