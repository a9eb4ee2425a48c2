"""A real Celery worker on Redis, against the test database on PostgreSQL: SIGKILL it in the
middle of a run, start another, and the run finishes with exactly what an uninterrupted run
produces. Needs PostgreSQL and Redis (``postgres``/``redis_url`` fail in CI when missing)."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from config.celery import app as celery_app
from hiring.models import Candidate, RoleProfile
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, Prospect, SourcingRun
from sourcing.tasks import run_sourcing
from tests.database import database_url
from tests.hiring.factories import RoleProfileFactory
from tests.sourcing.feeds import Entry, feed
from tests.sourcing.replay import ReplayServer, Reply
from tests.sourcing.test_pipeline import state, wipe, write_snapshot

ROOT = Path(__file__).resolve().parents[2]
PAGES, PER_PAGE = 10, 4
SURNAMES = ["Lovelace", "Turing", "Hopper", "Noether", "Curie", "Gauss", "Euler", "Hilbert"]


def _entries() -> list[Entry]:
    entries = []
    for i in range(PAGES * PER_PAGE):
        first = f"Author{i % 13} {SURNAMES[i % len(SURNAMES)]}"
        last = f"Senior{i % 5} {SURNAMES[(i + 3) % len(SURNAMES)]}"
        entries.append(Entry(f"2501.{i:05d}", f"Representation learning {i}", [first, last]))
    return entries


def _serve(replay: ReplayServer, delay: float) -> None:
    entries = _entries()
    for page in range(PAGES):
        chunk = entries[page * PER_PAGE : (page + 1) * PER_PAGE]
        body = feed(chunk, total=len(entries), start=page * PER_PAGE, per_page=PER_PAGE)
        replay.add("/api/query", {"start": str(page * PER_PAGE)}, Reply(body=body, delay=delay))


def _snapshot() -> dict[str, list[str]]:
    return {
        "papers": sorted(Paper.objects.values_list("arxiv_id", flat=True)),
        "people": sorted(Person.objects.values_list("display_name", flat=True)),
        "authorships": sorted(
            f"{a}:{p}:{n}"
            for a, p, n in Authorship.objects.values_list(
                "paper__arxiv_id", "position", "person__display_name"
            )
        ),
        "candidates": sorted(Candidate.objects.values_list("full_name", flat=True)),
        "prospects": sorted(Prospect.objects.values_list("person__display_name", flat=True)),
    }


def _worker_env(redis_url: str, **settings: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.sourcing.worker_settings",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_CONN_MAX_AGE": "0",
        **settings,
    }


def _start_worker(queue: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-P", "solo",
        "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=INFO", "-n", f"kill-test-{uuid.uuid4().hex[:6]}@%h",
    ]  # fmt: skip
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _wait(predicate, timeout: float, what: str, log: Path, poll: float = 0.1) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(poll)
    tail = log.read_text()[-3000:] if log.exists() else "(no worker log)"
    raise AssertionError(f"timed out waiting for {what}; worker log:\n{tail}")


def _kill_mid_run_then_resume(
    run: SourcingRun,
    env: dict[str, str],
    log: Path,
    progressed: Callable[[SourcingRun], bool],
    done: Callable[[SourcingRun], bool],
) -> SourcingRun:
    """Send the run to a worker, SIGKILL it once ``progressed`` (asserting the run was not yet
    ``done``), start another worker, and return the run as that worker leaves it."""
    queue = f"sourcing-kill-{uuid.uuid4().hex[:8]}"
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # this process only sends; the workers run it
    first = _start_worker(queue, env, log)
    try:
        run_sourcing.apply_async(args=[run.pk], queue=queue)
        sent_at = time.monotonic()

        def refreshed(predicate: Callable[[SourcingRun], bool]) -> Callable[[], bool]:
            def check() -> bool:
                run.refresh_from_db()
                return predicate(run)

            return check

        # Often: a second pass of small chunks can be over in a second.
        _wait(refreshed(progressed), 60, "the first worker to commit batches", log, poll=0.01)
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
        run.refresh_from_db()
        assert run.status == SourcingRun.Status.RUNNING
        assert not done(run), "killed too late to prove anything"
        killed = copy.deepcopy(run)

        # a new worker picks the unacknowledged message up once it is visible again
        time.sleep(max(0.0, sent_at + 3.5 - time.monotonic()))
        second = _start_worker(queue, env, log)
        try:
            _wait(
                refreshed(lambda r: r.status != SourcingRun.Status.RUNNING),
                120,
                "the second worker to finish",
                log,
            )
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(20)
    finally:
        celery_app.conf.task_always_eager = eager
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    return killed


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sigkilled_worker_mid_run_resumes_to_the_same_result(
    postgres, redis_url, replay, settings, tmp_path
):
    # given the same 10 pages served slowly, and what an uninterrupted run makes of them
    settings.ARXIV_API_URL = replay.url("/api/query")
    settings.ARXIV_MIN_REQUEST_INTERVAL = 0.01
    settings.REDIS_URL = ""
    _serve(replay, delay=0.0)
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=[])
    params = {"page_size": PER_PAGE, "max_results": PAGES * PER_PAGE}
    baseline_run = sourcing_run_create(kind="api", parameters=params, role_profile=role)
    assert sourcing_run_execute(run_id=baseline_run.pk) == "succeeded"
    expected = _snapshot()
    assert len(expected["papers"]) == PAGES * PER_PAGE
    assert expected["candidates"]
    wipe()

    replay.routes.clear()
    replay.requests.clear()
    _serve(replay, delay=0.5)
    env = _worker_env(
        redis_url, ARXIV_API_URL=replay.url("/api/query"), ARXIV_MIN_REQUEST_INTERVAL="0.05"
    )
    run = sourcing_run_create(kind="api", parameters=params, role_profile=role)

    # when the first worker is killed outright in the middle of the run
    killed_at = _kill_mid_run_then_resume(
        run,
        env,
        tmp_path / "worker.log",
        progressed=lambda r: r.processed >= 3 * PER_PAGE,
        done=lambda r: r.processed >= PAGES * PER_PAGE,
    ).processed

    # then a new worker finished it from the checkpoint
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.SUCCEEDED, run.error
    assert _snapshot() == expected
    assert (run.papers_count, run.processed) == (PAGES * PER_PAGE, PAGES * PER_PAGE)
    assert run.candidates_count == len(expected["candidates"])
    # the second worker continued from the checkpoint instead of starting over
    starts = [int(h.query["start"]) for h in replay.hits("/api/query")]
    assert starts.count(0) == 1
    assert killed_at in starts


def _uninterrupted_snapshot(
    tmp_path: Path,
) -> tuple[dict[str, Any], RoleProfile, SourcingRun, dict[str, Any]]:
    """A generated snapshot imported here, in one go, then wiped: its run's parameters, role,
    the run, and what it wrote."""
    path = write_snapshot(tmp_path / "snap.jsonl", 3000)
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=[])
    params = {"path": str(path), "categories": ["cs", "stat", "math", "hep-th"]}
    baseline = sourcing_run_create(kind="snapshot", parameters=params, role_profile=role)
    assert sourcing_run_execute(run_id=baseline.pk) == "succeeded"
    baseline.refresh_from_db()
    expected = state()
    wipe()
    return params, role, baseline, expected


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sigkilled_worker_mid_snapshot_import_resumes_to_the_same_result(
    postgres, redis_url, settings, tmp_path
):
    # given a snapshot imported in small batches (each decided while the one before it is
    # written, in the worker's writer thread, so a kill finds one batch decided and usually one
    # being written), and what an uninterrupted import makes of it
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = 40
    params, role, baseline, expected = _uninterrupted_snapshot(tmp_path)
    env = _worker_env(redis_url, SOURCING_SNAPSHOT_BATCH_SIZE="40")
    run = sourcing_run_create(kind="snapshot", parameters=params, role_profile=role)

    # when the worker is killed outright after a few batches, and another one resumes
    _kill_mid_run_then_resume(
        run,
        env,
        tmp_path / "worker.log",
        progressed=lambda r: r.papers_count >= 120,
        done=lambda r: r.papers_count >= baseline.papers_count,
    )

    run.refresh_from_db()
    assert run.status == SourcingRun.Status.SUCCEEDED, run.error
    assert state() == expected
    assert (run.papers_count, run.processed) == (baseline.papers_count, baseline.processed)
    assert run.candidates_count == baseline.candidates_count


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sigkilled_worker_in_a_snapshots_second_pass_resumes_to_the_same_result(
    postgres, redis_url, settings, tmp_path
):
    # given a snapshot imported in two passes, the second in chunks of a few mentions (over a
    # thousand chunks, each a transaction: a second pass long enough to be killed in), every
    # other chunk decided by a helper process the worker forks (sourcing.runs.helper), and what
    # an uninterrupted import of it makes
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    settings.SOURCING_SNAPSHOT_CHUNK_MENTIONS = 10
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = 200
    params, role, baseline, expected = _uninterrupted_snapshot(tmp_path)
    env = _worker_env(
        redis_url,
        SOURCING_SNAPSHOT_TWO_PASS_BYTES="0",
        SOURCING_SNAPSHOT_CHUNK_MENTIONS="10",
        SOURCING_SNAPSHOT_BATCH_SIZE="200",
        SOURCING_SNAPSHOT_HELPER_PROCESS="1",
    )
    run = sourcing_run_create(kind="snapshot", parameters=params, role_profile=role)

    # when the worker and its helper are killed outright once some chunks of people are
    # written, and another worker resumes
    killed = _kill_mid_run_then_resume(
        run,
        env,
        tmp_path / "worker.log",
        progressed=lambda r: r.checkpoint.get("phase") == "people" and r.people_count > 100,
        done=lambda r: r.checkpoint.get("phase") != "people",
    )

    # then it went on from that chunk and ended as the uninterrupted import did
    assert killed.checkpoint["after"]
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.SUCCEEDED, run.error
    assert state() == expected
    assert (run.papers_count, run.people_count, run.candidates_count) == (
        baseline.papers_count,
        baseline.people_count,
        baseline.candidates_count,
    )
