"""Task delivery through a real Celery worker and Redis (skipped without Redis locally; required
in CI): the run is enqueued on commit, the worker claims it and records the scenario."""

from __future__ import annotations

import time
import uuid

import pytest

from sourcing.github import launch
from sourcing.github.models import Implementation, ImplementationRun
from tests.sourcing.github.conftest import serve_sma
from tests.sourcing.github.factories import sma_paper
from tests.sourcing.github.replay import ReplayServer


@pytest.mark.redis
# The worker thread needs committed rows. serialized_rollback restores the migrated data (groups,
# seeded profiles) and flushes without re-running post_migrate, as the other worker tests expect.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_executes_a_paper_run(redis_url: str, upstream: ReplayServer) -> None:
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    paper, _ = sma_paper()
    serve_sma(upstream)
    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    # A queue of our own, so a worker of another test run on the same Redis cannot take it.
    app.conf.update(
        task_always_eager=False,
        broker_url=redis_url,
        task_default_queue=f"hirebar-test-{uuid.uuid4().hex}",
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            run, created = launch.implementation_run_start_for_paper(paper=paper)
            assert created
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                run.refresh_from_db()
                if run.status in (
                    ImplementationRun.Status.SUCCEEDED,
                    ImplementationRun.Status.FAILED,
                ):
                    break
                time.sleep(0.2)
    finally:
        app.conf.update(
            task_always_eager=saved[0], broker_url=saved[1], task_default_queue=saved[2]
        )

    assert run.status == ImplementationRun.Status.SUCCEEDED, run.error
    assert Implementation.objects.filter(paper=paper).count() == 3
