"""Executing a run: claim it, hand it to the engine for its kind, and end it according to what
went wrong. Tasks and commands both call ``sourcing_run_execute``."""

from __future__ import annotations

import copy
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from sourcing import services
from sourcing.errors import (
    OutOfTime,
    PermanentSourcingError,
    RunStopped,
    TransientSourcingError,
)
from sourcing.models import SourcingRun
from sourcing.people.cache import PeopleCache
from sourcing.records import PaperRecord

logger = logging.getLogger(__name__)
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

    def today(self) -> dt.date:
        return timezone.now().date()

    def commit(
        self,
        *,
        checkpoint: dict[str, Any],
        records: Sequence[PaperRecord] = (),
        processed: int = 0,
        total: int | None = None,
    ) -> None:
        """Commit a batch with the run's next checkpoint (see ``sourcing_run_commit_batch``);
        raises ``OutOfTime`` after the commit once the task's budget is spent."""
        # Copies: engines build checkpoints from the current one and must not alias it.
        self.committed(
            services.sourcing_run_commit_batch(
                run_id=self.run.pk,
                expected_checkpoint=copy.deepcopy(self.run.checkpoint),
                checkpoint=copy.deepcopy(checkpoint),
                records=records,
                processed=processed,
                total=total,
                people=self.people,
            )
        )

    def committed(self, run: SourcingRun) -> None:
        """A batch committed (here or by ``sourcing.pipeline``): report progress; raise
        ``OutOfTime`` once the task's budget is spent."""
        self.run = run
        if self.on_progress is not None:
            self.on_progress(run)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OutOfTime(f"run {run.pk} paused at {run.checkpoint}")


def _engine(kind: str) -> Callable[[RunContext], None]:
    from sourcing.arxiv.oai import execute_oai_run
    from sourcing.arxiv.query import execute_api_run
    from sourcing.arxiv.snapshot import execute_snapshot_run

    return {
        SourcingRun.Kind.API: execute_api_run,
        SourcingRun.Kind.SNAPSHOT: execute_snapshot_run,
        SourcingRun.Kind.OAI: execute_oai_run,
    }[SourcingRun.Kind(kind)]


def sourcing_run_execute(
    *,
    run_id: int,
    deadline: float | None = None,
    on_progress: ProgressCallback | None = None,
    final_attempt: bool = True,
) -> str:
    """Run (or resume) a run to its end. Returns ``"succeeded"``, ``"failed"``, ``"skipped"``
    (already ended or cancelled), ``"stopped"`` (cancelled meanwhile, or another delivery moved
    it on) or ``"continue"`` (out of time: the caller re-enqueues). Transient errors propagate
    for the caller to retry unless ``final_attempt``, which fails the run instead."""
    run = services.sourcing_run_start(run_id=run_id)
    if run is None:
        return "skipped"
    ctx = RunContext(run=run, deadline=deadline, on_progress=on_progress)
    try:
        _engine(run.kind)(ctx)
    except RunStopped as exc:
        logger.info("sourcing run %s stopped: %s", run_id, exc)
        return "stopped"
    except (OutOfTime, SoftTimeLimitExceeded):
        return "continue"
    except PermanentSourcingError as exc:
        services.sourcing_run_fail(run_id=run_id, error=str(exc))
        return "failed"
    except (TransientSourcingError, OperationalError, InterfaceError) as exc:
        if final_attempt:
            services.sourcing_run_fail(
                run_id=run_id, error=f"{exc} (gave up; resume the run to continue)"
            )
            return "failed"
        raise
    except Exception as exc:
        services.sourcing_run_fail(run_id=run_id, error=f"unexpected error: {exc!r}")
        raise
    services.sourcing_run_finish(run_id=run_id)
    return "succeeded"
