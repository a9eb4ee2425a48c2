"""What an engine (query API, snapshot, OAI-PMH) gets to run with: the run, its deadline and
progress callback, the people kept across its batches, and ``commit`` for each batch."""

from __future__ import annotations

import copy
import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.utils import timezone

from core.runs.lifecycle import run_note
from hiring.services.suppression import SuppressionSet
from sourcing.errors import OutOfTime
from sourcing.models import SourcingRun
from sourcing.people.cache import PeopleCache
from sourcing.records import PaperRecord
from sourcing.runs.batches import sourcing_run_commit_batch

ProgressCallback = Callable[[SourcingRun], None]


@dataclass
class RunContext:
    run: SourcingRun
    deadline: float | None = None  # time.monotonic() value
    on_progress: ProgressCallback | None = None
    # People kept across this run's batches (bounded; see sourcing.people.cache).
    people: PeopleCache = field(
        default_factory=lambda: PeopleCache(
            capacity=settings.SOURCING_PEOPLE_CACHE_SIZE,
            memory_budget=settings.SOURCING_MEMORY_BUDGET_MB * 2**20 or None,
        )
    )

    @cached_property
    def suppression(self) -> SuppressionSet:
        """The suppression list, read once per task invocation (``sourcing.privacy``): an
        erasure committed meanwhile is honoured from the next delivery on."""
        return SuppressionSet.load()

    def today(self) -> dt.date:
        return timezone.now().date()

    def commit(
        self,
        *,
        checkpoint: dict[str, Any],
        records: Sequence[PaperRecord] = (),
        processed: int = 0,
        total: int | None = None,
        suppressed: int = 0,
    ) -> None:
        """Commit a batch with the run's next checkpoint (see ``sourcing_run_commit_batch``);
        ``suppressed``: how many of its authors were skipped (erased or objected). Raises
        ``OutOfTime`` after the commit once the task's budget is spent."""
        # Copies: engines build checkpoints from the current one and must not alias it.
        self.committed(
            sourcing_run_commit_batch(
                run_id=self.run.pk,
                expected_checkpoint=copy.deepcopy(self.run.checkpoint),
                checkpoint=copy.deepcopy(checkpoint),
                records=records,
                processed=processed,
                total=total,
                people=self.people,
                suppressed=suppressed,
            )
        )

    def waiting(self, seconds: float, reason: str, attempt: int, attempts: int) -> None:
        """The upstream did not answer usefully; say so on the run while the client waits."""
        run_note(
            SourcingRun,
            run_id=self.run.pk,
            note=f"Retrying: arXiv {reason}; attempt {attempt} of {attempts} in {seconds:.0f} s.",
        )

    def committed(self, run: SourcingRun) -> None:
        """A batch committed (here or by ``sourcing.runs.pipeline``): report progress; raise
        ``OutOfTime`` once the task's budget is spent."""
        self.run = run
        if self.on_progress is not None:
            self.on_progress(run)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OutOfTime(f"run {run.pk} paused at {run.checkpoint}")
