"""Executing a run: claim it, hand it to the engine for its kind, and end it according to what
went wrong. The task and the commands both call ``sourcing_run_execute``."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from core.runs.errors import RunStopped
from core.runs.lifecycle import run_claim, run_fail, run_finish
from sourcing.arxiv.oai import execute_oai_run
from sourcing.arxiv.query import execute_api_run
from sourcing.arxiv.snapshot import execute_snapshot_run
from sourcing.errors import OutOfTime, PermanentSourcingError, TransientSourcingError
from sourcing.models import SourcingRun
from sourcing.runs.context import ProgressCallback, RunContext

logger = logging.getLogger(__name__)

ENGINES: dict[str, Callable[[RunContext], None]] = {
    SourcingRun.Kind.API: execute_api_run,
    SourcingRun.Kind.SNAPSHOT: execute_snapshot_run,
    SourcingRun.Kind.OAI: execute_oai_run,
}


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
    run = run_claim(SourcingRun, run_id=run_id, related=("role_profile",))
    if run is None:
        return "skipped"
    ctx = RunContext(run=run, deadline=deadline, on_progress=on_progress)
    try:
        ENGINES[run.kind](ctx)
    except RunStopped as exc:
        logger.info("sourcing run %s stopped: %s", run_id, exc)
        return "stopped"
    except (OutOfTime, SoftTimeLimitExceeded):
        return "continue"
    except PermanentSourcingError as exc:
        run_fail(SourcingRun, run_id=run_id, error=str(exc))
        return "failed"
    except (TransientSourcingError, OperationalError, InterfaceError) as exc:
        if final_attempt:
            error = f"{exc}; resume the run to continue"
            run_fail(SourcingRun, run_id=run_id, error=error)
            return "failed"
        raise
    except Exception as exc:
        run_fail(SourcingRun, run_id=run_id, error=f"unexpected error: {exc!r}")
        raise
    run_finish(SourcingRun, run_id=run_id)
    return "succeeded"
