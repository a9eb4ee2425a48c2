"""The run lifecycle every run kind shares (``core.runs.lifecycle``), on both concrete kinds:
compare-and-set claims, batches committed with their checkpoint, finish/fail/cancel/resume
guarded by status, and the sweep of runs a lost worker left running."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.runs import lifecycle
from core.runs.errors import RunStopped
from core.runs.models import BackgroundRun, RunStatus
from sourcing.github.models import ImplementationRun
from sourcing.models import SourcingRun
from tests.sourcing.factories import SourcingRunFactory
from tests.sourcing.github.factories import PaperFactory

pytestmark = pytest.mark.django_db


def _implementation_run(**fields: object) -> ImplementationRun:
    return ImplementationRun.objects.create(kind="paper", paper=PaperFactory(), **fields)


@pytest.fixture(params=["sourcing", "implementation"])
def new_run(request):  # type: ignore[no-untyped-def]
    """A queued run of each kind."""
    return SourcingRunFactory() if request.param == "sourcing" else _implementation_run()


def test_a_queued_run_is_claimed_once(new_run: BackgroundRun) -> None:
    # given a queued run
    model = type(new_run)

    # when two deliveries claim it
    first = lifecycle.run_claim(model, run_id=new_run.pk)
    second = lifecycle.run_claim(model, run_id=new_run.pk)

    # then the first has it, running, with its start and heartbeat set
    assert first is not None
    assert first.status == RunStatus.RUNNING
    assert first.started_at is not None
    assert first.heartbeat_at is not None
    if model is ImplementationRun:
        # a live delivery keeps it: the second finds it running and not yet stale
        assert second is None
    else:
        # a sourcing run is taken over at once (Redis redelivers only after its first
        # delivery is dead; the checkpoint compare-and-set stops a duplicate)
        assert second is not None
        assert second.started_at == first.started_at


def test_a_running_run_silent_past_its_stale_time_is_taken_over() -> None:
    run = _implementation_run(status=RunStatus.RUNNING)
    silent = timezone.now() - ImplementationRun.stale_after() - timedelta(seconds=1)
    ImplementationRun.objects.filter(pk=run.pk).update(heartbeat_at=silent)

    claimed = lifecycle.run_claim(ImplementationRun, run_id=run.pk)

    assert claimed is not None
    assert claimed.heartbeat_at > silent


@pytest.mark.parametrize("status", [RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.CANCELLED])
def test_an_ended_run_is_never_claimed(status: str) -> None:
    run = SourcingRunFactory(status=status)

    assert lifecycle.run_claim(SourcingRun, run_id=run.pk) is None
    run.refresh_from_db()
    assert run.status == status


def test_a_batch_commits_with_its_checkpoint_and_the_fields_it_wrote(new_run: BackgroundRun):
    model = type(new_run)
    lifecycle.run_claim(model, run_id=new_run.pk)

    def write(run: BackgroundRun) -> list[str]:
        run.error = "written in the batch"
        return ["error"]

    run = lifecycle.run_commit_batch(
        model, run_id=new_run.pk, expected_checkpoint={}, checkpoint={"page": 1}, write=write
    )

    stored = model._default_manager.get(pk=new_run.pk)
    assert stored.checkpoint == {"page": 1} == run.checkpoint
    assert stored.error == "written in the batch"


def test_a_stale_batch_writes_nothing(new_run: BackgroundRun) -> None:
    # given a run another delivery moved past the first checkpoint
    model = type(new_run)
    lifecycle.run_claim(model, run_id=new_run.pk)
    lifecycle.run_commit_batch(
        model, run_id=new_run.pk, expected_checkpoint={}, checkpoint={"p": 1}
    )
    written = []

    # when a delivery still at the old checkpoint commits
    with pytest.raises(RunStopped, match="moved on"):
        lifecycle.run_commit_batch(
            model,
            run_id=new_run.pk,
            expected_checkpoint={},
            checkpoint={"p": 1},
            write=lambda run: written.append(run) or [],
        )

    # then its batch was never written
    assert written == []


def test_a_cancelled_run_stops_at_its_next_batch(new_run: BackgroundRun) -> None:
    model = type(new_run)
    lifecycle.run_claim(model, run_id=new_run.pk)

    lifecycle.run_cancel(run=new_run)

    with pytest.raises(RunStopped, match="cancelled"):
        lifecycle.run_commit_batch(model, run_id=new_run.pk, expected_checkpoint={}, checkpoint={})
    # a worker finishing afterwards does not overwrite the cancellation
    assert lifecycle.run_finish(model, run_id=new_run.pk) is False
    assert model._default_manager.get(pk=new_run.pk).status == RunStatus.CANCELLED


def test_finish_and_fail_only_move_an_active_run(new_run: BackgroundRun) -> None:
    model = type(new_run)
    lifecycle.run_claim(model, run_id=new_run.pk)

    assert lifecycle.run_fail(model, run_id=new_run.pk, error="x" * 6000) is True
    assert lifecycle.run_finish(model, run_id=new_run.pk) is False
    assert lifecycle.run_fail(model, run_id=new_run.pk, error="again") is False

    stored = model._default_manager.get(pk=new_run.pk)
    assert stored.status == RunStatus.FAILED
    assert len(stored.error) == lifecycle.MAX_ERROR_LENGTH
    assert stored.finished_at is not None


def test_resume_queues_a_failed_or_cancelled_run_from_its_checkpoint(new_run: BackgroundRun):
    model = type(new_run)
    lifecycle.run_claim(model, run_id=new_run.pk)
    lifecycle.run_commit_batch(
        model, run_id=new_run.pk, expected_checkpoint={}, checkpoint={"p": 2}
    )
    lifecycle.run_fail(model, run_id=new_run.pk, error="upstream down")

    run = lifecycle.run_resume(run=model._default_manager.get(pk=new_run.pk))

    assert (run.status, run.error, run.finished_at) == (RunStatus.QUEUED, "", None)
    assert run.checkpoint == {"p": 2}
    lifecycle.run_cancel(run=run)
    assert lifecycle.run_resume(run=run).status == RunStatus.QUEUED


@pytest.mark.parametrize("status", [RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.SUCCEEDED])
def test_only_failed_or_cancelled_runs_resume_and_only_active_runs_cancel(status: str) -> None:
    run = SourcingRunFactory(status=status)

    with pytest.raises(ValidationError) as resumed:
        lifecycle.run_resume(run=run)
    assert resumed.value.message_dict == {"status": [f"A {status} run cannot be resumed."]}
    if status == RunStatus.SUCCEEDED:
        with pytest.raises(ValidationError, match="cannot be cancelled"):
            lifecycle.run_cancel(run=run)


def test_the_sweeper_finds_only_runs_silent_past_their_stale_time() -> None:
    lost = _implementation_run(status=RunStatus.RUNNING)
    alive = _implementation_run(status=RunStatus.RUNNING)
    queued = _implementation_run()
    long_ago = timezone.now() - timedelta(days=1)
    ImplementationRun.objects.filter(pk=lost.pk).update(heartbeat_at=long_ago)
    ImplementationRun.objects.filter(pk__in=[alive.pk, queued.pk]).update(
        heartbeat_at=timezone.now()
    )

    assert [run.pk for run in lifecycle.runs_stale(ImplementationRun)] == [lost.pk]


def test_a_run_is_delivered_only_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
) -> None:  # type: ignore[no-untyped-def]
    delivered: list[int] = []

    class Task:
        def delay(self, run_id: int) -> None:
            delivered.append(run_id)

    run = SourcingRunFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        lifecycle.run_enqueue(task=Task(), run=run)
        assert delivered == []

    assert len(callbacks) == 1
    assert delivered == [run.pk]
