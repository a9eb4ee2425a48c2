"""Committing a sourcing run's batch: papers, people and prospects written in one transaction
with the run's next checkpoint and counters (``core.runs.lifecycle.run_commit_batch``), after
checking (row locked) that the run is still running at the checkpoint the batch started from;
so a redelivered or duplicated task never writes a batch twice, and a killed worker loses at
most the batch in flight."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import IntegrityError

from core.runs.lifecycle import run_commit_batch
from hiring.models import RoleProfile
from sourcing.errors import PeopleChanged
from sourcing.models import Authorship, Paper, SourcingRun
from sourcing.people.cache import PeopleCache
from sourcing.people.generation import people_generation, people_generation_bump, people_lock
from sourcing.ranking import prospects, scoring
from sourcing.records import PaperRecord
from sourcing.runs.parameters import api_parameters, oai_parameters
from sourcing.store import bulk, keyed
from sourcing.store.ingest import BatchOutcome, BatchPlan, ingest_batch

logger = logging.getLogger(__name__)


def _lock_people() -> None:
    # Not waiting for the WAL flush at commit: a database crash can lose the last few batches,
    # but always together with the checkpoint that covers them (same transaction), so the run
    # simply redoes them. It halves the cost of a batch.
    people_lock(fast_commit=True)


def _advance(
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    write: Callable[[SourcingRun], Iterable[str]],
) -> SourcingRun:
    """``run_commit_batch`` for a sourcing run (its role read with it, for ranking)."""
    return run_commit_batch(
        SourcingRun,
        run_id=run_id,
        expected_checkpoint=expected_checkpoint,
        checkpoint=checkpoint,
        write=write,
        related=("role_profile",),
    )


def _roles_for(run: SourcingRun) -> list[RoleProfile]:
    if run.role_profile is not None:
        return [run.role_profile]
    if run.kind == SourcingRun.Kind.OAI and oai_parameters(run).all_roles:
        return [r for r in RoleProfile.objects.filter(is_active=True) if r.sourcing_categories]
    return []


def _matching_first_authors(
    run: SourcingRun, role: RoleProfile, records: Sequence[PaperRecord], outcome: BatchOutcome
) -> set[int]:
    # An API run built from the role's own query matched by construction.
    match_all = (
        run.kind == SourcingRun.Kind.API
        and not api_parameters(run).query
        and run.role_profile_id == role.pk
    )
    people = set()
    for record in records:
        paper_id = outcome.paper_ids.get(record.arxiv_id)
        if paper_id is None or paper_id not in outcome.first_authors:
            continue
        if match_all or scoring.paper_matches_role(
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
    suppressed: int = 0,
) -> SourcingRun:
    """Write one batch and advance the run, all or nothing. Raises ``RunStopped`` (writing
    nothing) unless the run is running at ``expected_checkpoint``. Lock order: run row, then the
    people lock. ``people``: the run's people cache, emptied when the batch does not commit
    (its in-memory changes were rolled back). ``suppressed``: the batch's authors the engine
    replaced by erased slots (``sourcing.privacy``), added to the run's count."""

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
            suppressed=suppressed,
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
    suppressed: int = 0,
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
    suppressed: int = 0,
) -> SourcingRun:
    def write(run: SourcingRun) -> Iterable[str]:
        fields = ["processed"]
        if suppressed:
            run.suppressed_count += suppressed
            fields.append("suppressed_count")
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
        run.processed += processed
        if total is not None:
            run.total = total
            fields.append("total")
        return fields

    return _advance(run_id, expected_checkpoint, checkpoint, write)


def sourcing_run_commit_staged(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    records: Sequence[PaperRecord],
    processed: int,
    total: int | None,
    suppressed: int = 0,
) -> tuple[SourcingRun, keyed.Staged]:
    """Pass 1 of a two-pass snapshot import (``sourcing.store.keyed``): stage one batch of the
    file and advance the run to ``checkpoint`` (whose ``seq`` counts the mentions staged so
    far), all or nothing, as ``sourcing_run_commit_batch`` does."""
    staged = keyed.Staged()

    def write(run: SourcingRun) -> Iterable[str]:
        nonlocal staged
        fields = ["processed", "total"]
        if records:
            # Stored authorships may be deleted: not in the middle of a merge or split.
            _lock_people()
            staged = keyed.stage_batch(
                records, run_id=run_id, seq=int(expected_checkpoint.get("seq", 0))
            )
            run.papers_count += staged.papers
            fields.append("papers_count")
        checkpoint["seq"] = int(expected_checkpoint.get("seq", 0)) + staged.mentions
        return fields + _progressed(run, processed, total, suppressed)

    run = _advance(run_id, expected_checkpoint, checkpoint, write)
    return run, staged


def _progressed(run: SourcingRun, processed: int, total: int | None, suppressed: int) -> list[str]:
    """A pass-1 batch's bytes of the file and suppressed authors, on the run."""
    run.processed += processed
    run.total = total
    if suppressed:
        run.suppressed_count += suppressed
        return ["suppressed_count"]
    return []


def sourcing_run_commit_stage_plan(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    plan: keyed.StagePlan,
    processed: int,
    total: int | None,
    suppressed: int = 0,
) -> SourcingRun:
    """Pass 1, a batch of new papers staged beforehand (``keyed.plan_stage``, possibly while the
    batch ahead of it was being written): write it and advance the run, all or nothing. Raises
    ``PeopleChanged`` (writing nothing) when one of its papers was stored meanwhile: it is then
    staged again the plain way (``sourcing_run_commit_staged``)."""

    def write(run: SourcingRun) -> Iterable[str]:
        fields = ["processed", "total"]
        if plan.staged.papers:
            _lock_people()  # for its commit without waiting for the WAL flush
            try:
                keyed.write_stage(plan, run_id=run_id)
            except IntegrityError as exc:
                raise PeopleChanged(f"papers stored since run {run_id}'s batch was read") from exc
            run.papers_count += plan.staged.papers
            fields.append("papers_count")
        return fields + _progressed(run, processed, total, suppressed)

    return _advance(run_id, expected_checkpoint, checkpoint, write)


def sourcing_run_commit_people(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    until: str | None,
) -> tuple[SourcingRun, keyed.Decided]:
    """Pass 2: decide the people of the next chunk of blocking keys (after the checkpoint's
    ``after``, up to ``until``), write them with their authorships, and advance the run, all
    or nothing, under the people lock."""
    decided = keyed.Decided()

    def write(run: SourcingRun) -> Iterable[str]:
        nonlocal decided
        _lock_people()
        decided = keyed.decide_chunk(
            run_id,
            after=expected_checkpoint["after"],
            until=until,
            papers_removed=expected_checkpoint.get("papers_removed"),
        )
        people_generation_bump()
        run.people_count += decided.new_people
        run.processed += decided.mentions
        checkpoint["after"] = decided.last_key
        return ["people_count", "processed"]

    run = _advance(run_id, expected_checkpoint, checkpoint, write)
    return run, decided


def sourcing_run_commit_chunk(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    plan: keyed.ChunkPlan,
) -> SourcingRun:
    """Pass 2, a chunk decided beforehand (``keyed.plan_keys``, possibly while the chunk ahead
    of it was being written): write it and advance the run, all or nothing, under the people
    lock. Raises ``PeopleChanged`` (writing nothing) when the people generation is no longer the
    one it was decided at, or a row it planned was changed meanwhile: it is then decided again
    under the lock (``sourcing_run_commit_people``)."""

    def write(run: SourcingRun) -> Iterable[str]:
        _lock_people()
        if people_generation() != plan.generation:
            raise PeopleChanged(f"people changed since run {run_id}'s chunk was decided")
        try:
            keyed.write_chunk(plan, papers_removed=expected_checkpoint.get("papers_removed"))
        except IntegrityError as exc:
            raise PeopleChanged(f"rows changed since run {run_id}'s chunk was decided") from exc
        people_generation_bump()
        run.people_count += plan.decided.new_people
        run.processed += plan.decided.mentions
        return ["people_count", "processed"]

    return _advance(run_id, expected_checkpoint, checkpoint, write)


def sourcing_run_commit_prospects(
    *,
    run_id: int,
    expected_checkpoint: dict[str, Any],
    checkpoint: dict[str, Any],
    first_authors: Sequence[tuple[int, int]],
) -> SourcingRun:
    """Pass 3, for a run with roles: rank the first authors of these papers (``(seq, paper
    id)``, in file order) that match each role, and make candidates of them."""

    def write(run: SourcingRun) -> Iterable[str]:
        papers = {p.pk: p for p in Paper.objects.filter(pk__in=[p for _, p in first_authors])}
        by_paper = dict(
            Authorship.objects.filter(paper_id__in=list(papers), position=0).values_list(
                "paper_id", "person_id"
            )
        )
        fields = ["processed"]
        for role in _roles_for(run):
            person_ids = {
                by_paper[paper_id]
                for paper_id, paper in papers.items()
                if paper_id in by_paper
                and scoring.paper_matches_role(
                    title=paper.title,
                    abstract=paper.abstract,
                    categories=paper.categories,
                    keywords=role.sourcing_keywords,
                    role_categories=role.sourcing_categories,
                )
            }
            prospects.prospects_refresh(role_profile=role, person_ids=person_ids, run=run)
            run.candidates_count += prospects.candidates_for_people(person_ids=person_ids)
            fields.append("candidates_count")
        run.processed += len(first_authors)
        if first_authors:
            checkpoint["prospects_after"] = first_authors[-1][0]
        return fields

    return _advance(run_id, expected_checkpoint, checkpoint, write)
