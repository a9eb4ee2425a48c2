"""A snapshot import on PostgreSQL decides each batch while the one before it is written, in a
writer thread with its own connection (``sourcing.runs.pipeline``). These tests hold it to the same
result as deciding and writing one batch at a time, whatever happens in between: papers seen
again in the next batch, new versions with fewer authors, evictions from the people cache, a
recruiter's merge between two batches, a failing write."""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from hiring.models import Candidate
from sourcing import launch
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, Prospect, SourcingRun
from sourcing.people import identities
from sourcing.runs import batches, pipeline
from sourcing.store import bulk
from tests.hiring.factories import RoleProfileFactory
from tests.sourcing.test_people_cache import people_partition

# serialized_rollback: the flush after each test must not re-create the seeded rows (post_migrate)
# that the next serialized_rollback test restores.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BATCH = 40
FIRST = ("Wei", "W.", "Wen", "Ana", "A.", "Anna", "A. B.", "Ana B.", "Yann", "Y.")
LAST = ("Zhang", "Silva", "Novak", "LeCun", "Müller")
CATEGORIES = ("cs.LG", "cs.CV", "stat.ML", "hep-th", "math.OC")


def write_snapshot(path: Path, count: int, seed: int = 5) -> Path:
    """Snapshot lines with few names (real decisions for disambiguation), and every seventh
    record a new version of an earlier paper with fewer authors (positions go stale); now and
    then the paper is from the batch just before (it must be stored before it is looked up)."""
    rng = random.Random(seed)
    names = [(last, first) for first in FIRST for last in LAST]
    written: list[dict[str, Any]] = []
    with path.open("w") as out:
        for i in range(count):
            if i % 7 == 6 and i > 3 * BATCH:
                back = BATCH // 2 if i % 140 == 6 else rng.randint(2 * BATCH, 3 * BATCH)
                record = dict(written[i - back])
                record["authors_parsed"] = record["authors_parsed"][:-1] or record["authors_parsed"]
                record["versions"] = [*record["versions"], {"version": "v2", "created": ""}]
            else:
                year = rng.randint(2012, 2024)
                authors = rng.sample(names, rng.randint(1, 5))
                category = rng.choice(CATEGORIES)
                record = {
                    "id": f"{year % 100:02d}{1 + i % 12:02d}.{i:05d}",
                    "title": f"Deep learning study {i}",
                    "abstract": f"We train models, part {i}.\nSecond line\twith a tab.",
                    "categories": category,
                    "authors_parsed": [[last, first, ""] for last, first in authors],
                    "versions": [{"version": "v1", "created": f"Mon, 2 Jan {year} 10:00:00 GMT"}],
                    "update_date": f"{year}-02-01",
                    "comments": rng.choice(["", "Accepted at NeurIPS"]),
                }
            written.append(record)
            out.write(json.dumps(record) + "\n")
    return path


def state() -> dict[str, Any]:
    """Everything an import writes, without database ids (which differ between runs)."""
    return {
        "people": people_partition(),
        "papers": sorted(
            Paper.objects.values_list("arxiv_id", "latest_version", "title", "abstract")
        ),
        "authorships": sorted(
            Authorship.objects.values_list(
                "paper__arxiv_id", "position", "name", "is_last", "match_confidence"
            )
        ),
        "prospects": sorted(
            Prospect.objects.values_list(
                "person__display_name", "score", "first_author_papers", "last_author_papers"
            )
        ),
        "candidates": sorted(Candidate.objects.values_list("full_name", flat=True)),
    }


def wipe() -> None:
    """Everything an import wrote (candidates from elsewhere stay)."""
    Prospect.objects.all().delete()
    Authorship.objects.all().delete()
    Person.objects.all().delete()
    Paper.objects.all().delete()
    Candidate.objects.filter(source=Candidate.Source.ARXIV).delete()


@pytest.fixture
def small_batches(settings):  # type: ignore[no-untyped-def]
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = BATCH
    settings.SOURCING_PEOPLE_CACHE_SIZE = 12  # evictions every batch


def one_at_a_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    init = pipeline.BatchPipeline.__init__

    def without_overlap(self: pipeline.BatchPipeline, ctx: Any) -> None:
        init(self, ctx)
        self.overlap = False

    monkeypatch.setattr(pipeline.BatchPipeline, "__init__", without_overlap)


def run_import(path: Path, role: Any, **kwargs: Any) -> SourcingRun:
    run = sourcing_run_create(
        kind="snapshot",
        parameters={"path": str(path), "categories": ["cs", "stat", "math", "hep-th"]},
        role_profile=role,
    )
    assert sourcing_run_execute(run_id=run.pk, **kwargs) == "succeeded"
    run.refresh_from_db()
    return run


def test_overlapped_batches_write_exactly_what_one_at_a_time_writes(
    postgres, small_batches, monkeypatch, tmp_path
):
    path = write_snapshot(tmp_path / "snap.jsonl", 400)
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=[])

    # given the import decided and written one batch at a time
    with monkeypatch.context() as patch:
        one_at_a_time(patch)
        expected_run = run_import(path, role)
    expected = state()
    assert expected["prospects"]
    assert len(expected["people"]) < 400
    wipe()

    # when each batch is decided while the one before it is written (a slow writer, so the
    # overlap is certain)
    spans: dict[str, list[tuple[float, float, str]]] = {"plan": [], "write": []}
    plan_batch, commit_plan = pipeline.plan_batch, batches.sourcing_run_commit_plan

    def timed(kind: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.monotonic()
            try:
                if kind == "write":
                    time.sleep(0.05)
                return function(*args, **kwargs)
            finally:
                spans[kind].append((start, time.monotonic(), threading.current_thread().name))

        return wrapper

    monkeypatch.setattr(pipeline, "plan_batch", timed("plan", plan_batch))
    monkeypatch.setattr(pipeline, "sourcing_run_commit_plan", timed("write", commit_plan))
    run = run_import(path, role)

    # then the same papers, people (with their evidence), authorships, prospects, candidates
    assert state() == expected
    assert (run.papers_count, run.people_count, run.candidates_count, run.processed) == (
        expected_run.papers_count,
        expected_run.people_count,
        expected_run.candidates_count,
        expected_run.processed,
    )
    assert run.checkpoint == expected_run.checkpoint
    # written in another thread, overlapping the next batch's decisions
    assert spans["write"]
    assert all(name != "MainThread" for *_span, name in spans["write"])
    assert any(
        w_start < p_end and p_start < w_end
        for p_start, p_end, _ in spans["plan"]
        for w_start, w_end, _ in spans["write"]
    )


def _merge_the_first_two_zhangs() -> None:
    people = sorted(
        Person.objects.filter(name_key="zhang|w", merged_into__isnull=True),
        key=lambda p: min(p.authorships.values_list("paper__arxiv_id", flat=True)),
    )
    assert len(people) >= 2
    identities.person_merge(target=people[0], sources=[people[1]])


def test_a_merge_between_batches_has_the_next_batch_decided_again_with_the_same_result(
    postgres, small_batches, monkeypatch, tmp_path, caplog
):
    path = write_snapshot(tmp_path / "snap.jsonl", 300)
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=[])
    commits = {"count": 0}

    def merge_after_the_third_commit(run: SourcingRun) -> None:
        commits["count"] += 1
        if commits["count"] == 3:
            _merge_the_first_two_zhangs()

    # given a recruiter's merge right after the third batch, one batch at a time
    with monkeypatch.context() as patch:
        one_at_a_time(patch)
        expected_run = run_import(path, role, on_progress=merge_after_the_third_commit)
    expected = state()
    wipe()

    # when the same happens while the fourth batch is already decided
    commits["count"] = 0
    with caplog.at_level(logging.INFO, logger="sourcing.runs.pipeline"):
        run = run_import(path, role, on_progress=merge_after_the_third_commit)

    # then that decision is thrown away and the batch decided again under the lock
    assert "decides its batch again" in caplog.text
    assert state() == expected
    assert (run.papers_count, run.people_count, run.processed) == (
        expected_run.papers_count,
        expected_run.people_count,
        expected_run.processed,
    )


def test_a_failed_write_leaves_the_run_at_its_last_commit_and_it_resumes(
    postgres, small_batches, monkeypatch, tmp_path
):
    path = write_snapshot(tmp_path / "snap.jsonl", 200)
    run_import(path, None)
    expected = state()
    wipe()

    # given the third write fails (in the writer thread)
    write = bulk.write
    calls = {"count": 0}

    def failing(writes: bulk.BatchWrites) -> None:
        calls["count"] += 1
        if calls["count"] == 3:
            raise RuntimeError("disk full")
        write(writes)

    monkeypatch.setattr(bulk, "write", failing)
    run = sourcing_run_create(kind="snapshot", parameters={"path": str(path)})
    with pytest.raises(RuntimeError, match="disk full"):
        sourcing_run_execute(run_id=run.pk)

    # then the run failed with the reason, at the second batch's checkpoint, nothing after it
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.FAILED
    assert "disk full" in run.error
    assert run.papers_count == 2 * BATCH
    assert run.checkpoint["line"] >= 2 * BATCH
    assert Person.objects.count() == run.people_count

    # when resumed, it ends as an import that never failed
    launch.sourcing_run_resume(run=run, deliver=False)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    assert state() == expected


def test_a_truncated_line_commits_the_batches_before_it(postgres, settings, tmp_path):
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = 25
    lines = write_snapshot(tmp_path / "full.jsonl", 100).read_bytes().splitlines(keepends=True)
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b"".join(lines[:60]) + lines[60][:40])

    run = sourcing_run_create(kind="snapshot", parameters={"path": str(path)})
    assert sourcing_run_execute(run_id=run.pk) == "failed"

    run.refresh_from_db()
    offset = sum(len(line) for line in lines[:60])
    assert run.error.startswith(f"snapshot line 61 (byte {offset}) is truncated")
    assert run.checkpoint == {"offset": offset, "line": 60, "skipped": 0}
    assert Paper.objects.count() == run.papers_count


def test_a_cancelled_run_stops_at_its_next_batch(postgres, small_batches, monkeypatch, tmp_path):
    path = write_snapshot(tmp_path / "snap.jsonl", 200)
    run = sourcing_run_create(kind="snapshot", parameters={"path": str(path)})

    def cancel_after_the_first_commit(current: SourcingRun) -> None:
        launch.sourcing_run_cancel(run=current)

    assert (
        sourcing_run_execute(run_id=run.pk, on_progress=cancel_after_the_first_commit) == "stopped"
    )
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.CANCELLED
    # the batch decided meanwhile was not written
    assert run.papers_count == BATCH


def test_a_paper_stored_meanwhile_has_its_batch_decided_again(
    postgres, small_batches, monkeypatch, tmp_path, caplog
):
    path = write_snapshot(tmp_path / "snap.jsonl", 200)
    run_import(path, None)
    expected = state()
    wipe()

    # given someone stores a paper of the third batch after it was decided as new (without
    # touching people, so only the insert itself can notice)
    plan_batch, calls = pipeline.plan_batch, {"count": 0}

    def plan_then_store(records: Any, people: Any) -> Any:
        plan = plan_batch(records, people)
        calls["count"] += 1
        if calls["count"] == 3:
            Paper.objects.create(arxiv_id=records[0].arxiv_id, title="stored by someone else")
        return plan

    monkeypatch.setattr(pipeline, "plan_batch", plan_then_store)
    with caplog.at_level(logging.INFO, logger="sourcing.runs.pipeline"):
        run_import(path, None)

    # then the writer's insert fails, nothing of that batch is kept, and it is decided again
    # under the lock, updating the stored paper
    assert "decides its batch again" in caplog.text
    assert state() == expected


def test_out_of_time_with_a_batch_in_flight_pauses_at_the_last_commit(
    postgres, small_batches, tmp_path
):
    path = write_snapshot(tmp_path / "snap.jsonl", 200)
    run_import(path, None)
    expected = state()
    wipe()

    # given a task whose time is up from the start: the first commit is also its last
    run = sourcing_run_create(kind="snapshot", parameters={"path": str(path)})
    assert sourcing_run_execute(run_id=run.pk, deadline=time.monotonic()) == "continue"

    # then the batch decided meanwhile was not written, and the run waits at the first batch
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.RUNNING
    assert run.papers_count == BATCH == Paper.objects.count()

    # when the next delivery runs it to the end, it is as if nothing had paused it
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    assert state() == expected
