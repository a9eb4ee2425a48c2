"""Executing the runs that find implementations of papers (started by ``sourcing.github.launch``).

A paper run discovers hits once (all sources), stores them in its checkpoint, then records one
repository at a time, saving the checkpoint after each; a redelivered, resumed or restarted run
skips what is done. Network I/O never happens inside a transaction."""

from __future__ import annotations

import copy
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded

from core.runs.errors import RunStopped
from core.runs.lifecycle import run_claim, run_commit_batch, run_fail, run_finish
from hiring.services.suppression import SuppressionSet
from sourcing.github import selectors
from sourcing.github.errors import RateLimited, UpstreamError
from sourcing.github.etag_store import cached_responses_forget
from sourcing.github.models import Implementation, ImplementationRun
from sourcing.github.privacy import hit_groups_suppress, owner_login
from sourcing.github.recording import SUPPRESSED, implementation_record
from sourcing.github.runs import implementation_run_create_for_paper
from sourcing.github.sources import GITHUB_SEARCH, PAPER_LINKS, RepoHit, merge_hits
from sourcing.github.toolkit import Toolkit, build_toolkit
from sourcing.models import Paper

logger = logging.getLogger(__name__)

Run = ImplementationRun
RELATED = ("paper", "opening__role_profile")


class RunFailed(Exception):
    """A run cannot proceed for a reason the recruiter can act on (the message says which)."""


@dataclass
class ExecutionOutcome:
    run: ImplementationRun
    # Paper runs an opening's run created, for the caller (its task) to deliver.
    children: list[int] = field(default_factory=list)


def implementation_run_execute(
    *, run_id: int, toolkit: Toolkit | None = None
) -> ExecutionOutcome | None:
    """Execute (or continue) a run. ``None`` when there is nothing to do (ended, cancelled, or
    another worker has it). Never raises for upstream problems: they end as the run's error."""
    run = run_claim(Run, run_id=run_id, related=RELATED)
    if run is None:
        return None
    outcome = ExecutionOutcome(run)
    try:
        if run.kind == Run.Kind.PAPER:
            _execute_paper(run, toolkit or build_toolkit())
        else:
            outcome.children = _execute_opening(run)
    except RunStopped as exc:
        logger.info("implementation run %s stopped: %s", run_id, exc)
    except (UpstreamError, RunFailed) as exc:
        resumable = " (resumable)" if isinstance(exc, RateLimited) else ""
        run_fail(Run, run_id=run_id, error=f"{exc}{resumable}")
    except SoftTimeLimitExceeded:
        error = "Ran out of time (task time limit); resume to continue from the checkpoint."
        run_fail(Run, run_id=run_id, error=error)
    except Exception as exc:
        logger.exception("implementation run %s crashed", run_id)
        run_fail(Run, run_id=run_id, error=f"Internal error ({type(exc).__name__}): {exc}")
    else:
        run_finish(Run, run_id=run_id)
    run.refresh_from_db()
    return outcome


def _commit(
    run: ImplementationRun,
    *,
    checkpoint: dict[str, Any],
    progress: dict[str, Any],
    suppressed: int = 0,
) -> ImplementationRun:
    """Advance the run to ``checkpoint`` with its ``progress`` (and ``suppressed`` more owners
    skipped); ``RunStopped`` (nothing written) when it was cancelled or another delivery moved
    it on."""

    def write(locked: ImplementationRun) -> list[str]:
        locked.progress = progress
        if not suppressed:
            return ["progress"]
        locked.suppressed_count += suppressed
        return ["progress", "suppressed_count"]

    return run_commit_batch(
        Run,
        run_id=run.pk,
        expected_checkpoint=run.checkpoint,
        checkpoint=checkpoint,
        write=write,
        related=RELATED,
    )


def _discover(
    toolkit: Toolkit, run: ImplementationRun, suppression: SuppressionSet
) -> ImplementationRun:
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
    groups, dropped = hit_groups_suppress(list(merge_hits(hits).values()), suppression)
    if dropped:
        # A search page or catalogue answer naming them is in the ETag cache by now.
        cached_responses_forget(logins={owner_login(group[0].full_name) for group in dropped})
    progress = {
        "found": len(groups),
        "recorded": 0,
        "skipped": 0,
        "official": 0,
        "reimplementation": 0,
        "notes": notes,
        "repositories": [],
    }
    checkpoint = {"hits": [[asdict(h) for h in group] for group in groups], "done": []}
    return _commit(run, checkpoint=checkpoint, progress=progress, suppressed=len(dropped))


def _execute_paper(run: ImplementationRun, toolkit: Toolkit) -> None:
    paper = run.paper
    assert paper is not None
    # Read once per delivery: an erasure committed meanwhile counts from the next one on.
    suppression = SuppressionSet.load()
    if not isinstance(run.checkpoint.get("hits"), list):
        run = _discover(toolkit, run, suppression)
    ref = selectors.paper_ref(paper=paper)
    authors = selectors.paper_authors(paper=paper)
    for group in run.checkpoint["hits"]:
        hits = [RepoHit(**hit) for hit in group]
        key = hits[0].full_name.lower()
        done = set(run.checkpoint.get("done", []))
        if key in done:
            continue
        outcome = implementation_record(
            api=toolkit.github,
            paper=paper,
            ref=ref,
            authors=authors,
            hits=hits,
            suppression=suppression,
        )
        progress = copy.deepcopy(run.progress)
        progress[outcome.status] = progress.get(outcome.status, 0) + 1
        if outcome.verdict:
            progress[outcome.verdict] = progress.get(outcome.verdict, 0) + 1
        suppressed = int(outcome.status == SUPPRESSED)
        if not suppressed:  # a suppressed owner's repository is not named in the progress
            progress.setdefault("repositories", []).append(
                {"full_name": outcome.full_name, "status": outcome.status, "note": outcome.note}
            )
        checkpoint = {**run.checkpoint, "done": sorted(done | {key})}
        run = _commit(run, checkpoint=checkpoint, progress=progress, suppressed=suppressed)
    paper_counts_refresh(paper=paper)


def paper_counts_refresh(*, paper: Paper) -> None:
    """What the arXiv ranking reads: re-implementations and whether official code exists
    (repositories GitHub no longer serves do not count)."""
    live = Implementation.objects.filter(paper=paper, repository__gone_at__isnull=True)
    Paper.objects.filter(pk=paper.pk).update(
        reimplementation_count=live.filter(verdict=Implementation.Verdict.REIMPLEMENTATION).count(),
        has_official_code=live.filter(verdict=Implementation.Verdict.OFFICIAL).exists(),
    )


def _execute_opening(run: ImplementationRun) -> list[int]:
    """Create a run per top paper of the opening; returns those created, to deliver."""
    assert run.opening is not None
    if not isinstance(run.checkpoint.get("paper_ids"), list):
        papers = selectors.opening_top_papers(opening=run.opening, top_n=run.top_n or 5)
        run = _commit(run, checkpoint={"paper_ids": [p.pk for p in papers]}, progress={})
    paper_ids = run.checkpoint["paper_ids"]
    if not paper_ids:
        raise RunFailed(
            "No papers match this opening's role yet (no arXiv prospects, and no paper in its "
            "categories or keywords); import papers with arXiv sourcing first."
        )
    children, created = [], []
    for paper in Paper.objects.filter(pk__in=paper_ids).order_by("pk"):
        child, new = implementation_run_create_for_paper(paper=paper, parent=run)
        children.append(child.pk)
        if new:
            created.append(child.pk)
    progress = {"papers": len(paper_ids), "paper_runs": children}
    _commit(run, checkpoint=run.checkpoint, progress=progress)
    return created
