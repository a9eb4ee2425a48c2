"""Run lifecycle: compare-and-set claims and checkpoints, cancellation, time budgets, retries."""

from __future__ import annotations

import time

import pytest
from celery.exceptions import Retry

from core.runs.errors import RunStopped
from core.runs.lifecycle import run_claim
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_cancel, sourcing_run_create
from sourcing.models import Paper, SourcingRun
from sourcing.runs.batches import sourcing_run_commit_batch
from sourcing.tasks import MAX_RETRIES, run_sourcing
from tests.sourcing.conftest import api_fixture
from tests.sourcing.replay import Reply

pytestmark = pytest.mark.django_db
PATH = "/api/query"


def _serve_two_pages(replay) -> None:  # type: ignore[no-untyped-def]
    replay.add(PATH, {"start": "0"}, Reply.file(api_fixture("q_testing_s0_m10")))
    replay.add(PATH, {"start": "10"}, Reply.file(api_fixture("q_testing_s10_m10")))


def _run() -> SourcingRun:
    return sourcing_run_create(
        kind=SourcingRun.Kind.API,
        parameters={"query": "all:testing", "max_results": 20, "page_size": 10},
    )


def test_a_stale_delivery_cannot_commit_a_batch_twice():
    # given a run that another delivery already moved past the first checkpoint
    run = _run()
    run_claim(SourcingRun, run_id=run.pk)
    sourcing_run_commit_batch(run_id=run.pk, expected_checkpoint={}, checkpoint={"offset": 10})

    # when a stale delivery tries to commit from the old checkpoint
    with pytest.raises(RunStopped):
        sourcing_run_commit_batch(
            run_id=run.pk, expected_checkpoint={}, checkpoint={"offset": 10}, processed=10
        )

    # then nothing of it was written
    run.refresh_from_db()
    assert (run.checkpoint, run.processed) == ({"offset": 10}, 0)


def test_finished_runs_are_not_restarted_by_a_late_redelivery(arxiv_replay):
    _serve_two_pages(arxiv_replay)
    run = _run()
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    hits = len(arxiv_replay.hits(PATH))
    assert sourcing_run_execute(run_id=run.pk) == "skipped"
    assert len(arxiv_replay.hits(PATH)) == hits


def test_cancelling_stops_the_worker_at_its_next_batch(arxiv_replay):
    _serve_two_pages(arxiv_replay)
    run = _run()

    def cancel_after_first_page(current: SourcingRun) -> None:
        if current.processed == 10:
            sourcing_run_cancel(run=current)

    assert sourcing_run_execute(run_id=run.pk, on_progress=cancel_after_first_page) == "stopped"
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.CANCELLED
    assert Paper.objects.count() == 10  # the committed page stays, the next one never lands


def test_a_spent_time_budget_pauses_after_a_commit_and_the_run_continues(arxiv_replay):
    _serve_two_pages(arxiv_replay)
    run = _run()
    assert sourcing_run_execute(run_id=run.pk, deadline=time.monotonic()) == "continue"
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.RUNNING
    while (outcome := sourcing_run_execute(run_id=run.pk, deadline=time.monotonic())) == (
        "continue"
    ):
        pass
    assert outcome == "succeeded"
    assert Paper.objects.count() == 20
    assert [h.query["start"] for h in arxiv_replay.hits(PATH)] == ["0", "10"]


def test_the_task_retries_transient_failures_then_fails_the_run_with_the_reason(
    arxiv_replay, settings
):
    # given arXiv answering 503 to everything, and one in-request attempt per delivery
    settings.ARXIV_MAX_ATTEMPTS = 1
    arxiv_replay.add(PATH, {}, Reply(503, b"busy", content_type="text/plain"))
    run = _run()

    # when the task runs (eagerly here: Celery re-runs it at once for each retry)
    for retries in range(MAX_RETRIES):
        with pytest.raises(Retry):
            run_sourcing.apply(args=[run.pk], retries=retries, throw=True)
        run.refresh_from_db()
        assert run.status == SourcingRun.Status.RUNNING  # resumable by the next retry
    result = run_sourcing.apply(args=[run.pk], retries=MAX_RETRIES)

    # then the last allowed attempt ends the run failed, saying why and how to continue
    run.refresh_from_db()
    assert result.get() == "failed"
    assert run.status == SourcingRun.Status.FAILED
    assert "HTTP 503" in run.error
    assert "resume" in run.error
