"""A large snapshot import on PostgreSQL runs in two passes (``sourcing.store.keyed``): papers and
author mentions first, then people one blocking key at a time. It must write exactly what the
batch-by-batch import writes, and resume from any of its checkpoints to the same result."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sourcing.arxiv import snapshot
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import Person, Prospect, SourcingRun
from sourcing.ranking.prospects import prospects_refresh
from sourcing.runs.helper import HelperProcess
from sourcing.store import keyed
from tests.hiring.factories import RoleProfileFactory
from tests.sourcing.test_pipeline import BATCH, state, wipe, write_snapshot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PARAMETERS = {"categories": ["cs", "stat", "math", "hep-th"]}


@pytest.fixture
def small(settings, monkeypatch):  # type: ignore[no-untyped-def]
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = BATCH
    settings.SOURCING_PEOPLE_CACHE_SIZE = 12
    settings.SOURCING_SNAPSHOT_CHUNK_MENTIONS = 50  # many chunks of keys
    monkeypatch.setattr(snapshot, "PROSPECT_BATCH", 40)


def _run(path: Path, role: Any) -> SourcingRun:
    return sourcing_run_create(
        kind="snapshot", parameters={"path": str(path), **PARAMETERS}, role_profile=role
    )


def written() -> dict[str, Any]:
    """``test_pipeline.state``, but candidates as the people who became one: a candidate's name
    is its person's display name when it was created, and the two ways create them at different
    moments (batch by batch: as soon as a batch makes the person a prospect)."""
    found = state()
    found["candidates"] = sorted(
        Person.objects.filter(candidate__isnull=False).values_list("display_name", flat=True)
    )
    return found


def _batch_by_batch(settings, path: Path, role: Any) -> tuple[dict[str, Any], SourcingRun]:  # type: ignore[no-untyped-def]
    """What the batch-by-batch import writes, its prospects ranked again once it has ended.

    Batch by batch, a prospect is ranked when a batch makes it one, on the papers stored by
    then; later papers re-rank it only when they make it a prospect again. Two passes rank each
    prospect once, on all its papers: what ranking everyone again at the end gives."""
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = None
    run = _run(path, role)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    assert "keyed" not in run.checkpoint
    if role is not None:
        people = Prospect.objects.filter(role_profile=role).values_list("person_id", flat=True)
        prospects_refresh(role_profile=role, person_ids=list(people), run=run)
    expected = written()
    wipe()
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    return expected, run


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE 'sourcing_stage_%'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.parametrize("helper", [True, False], ids=["helper process", "one process"])
def test_two_passes_write_what_batch_by_batch_writes(
    postgres, small, settings, monkeypatch, tmp_path, helper
):
    # given: papers revisited with fewer authors, few names (big blocking groups), a role
    path = write_snapshot(tmp_path / "snap.jsonl", 600)
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=[])
    expected, expected_run = _batch_by_batch(settings, path, role)
    assert expected["prospects"]
    settings.SOURCING_SNAPSHOT_HELPER_PROCESS = helper
    sent: list[dict[str, Any]] = []
    submit = HelperProcess.submit

    def counted(self: HelperProcess, function: Any, /, **kwargs: Any) -> None:
        sent.append(kwargs)
        submit(self, function, **kwargs)

    monkeypatch.setattr(HelperProcess, "submit", counted)

    # when
    run = _run(path, role)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    # (with the helper, every other chunk of keys was decided there)
    assert len(sent) > 3 if helper else not sent

    # then: the same papers, people with their evidence, authorships, prospects, candidates
    run.refresh_from_db()
    assert run.checkpoint["keyed"] is True
    assert written() == expected
    assert (run.papers_count, run.people_count, run.candidates_count) == (
        expected_run.papers_count,
        expected_run.people_count,
        expected_run.candidates_count,
    )
    assert run.processed == run.total
    assert keyed.stage_table(run.pk) not in _tables()  # dropped at the end


def test_two_passes_resume_from_every_checkpoint_to_the_same_result(
    postgres, small, settings, monkeypatch, tmp_path
):
    path = write_snapshot(tmp_path / "snap.jsonl", 150)
    settings.SOURCING_SNAPSHOT_CHUNK_MENTIONS = 120
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=[])
    expected, _ = _batch_by_batch(settings, path, role)

    # when every delivery runs out of time after its first commit
    run = _run(path, role)
    phases = []
    outcome = "continue"
    while outcome == "continue":
        outcome = sourcing_run_execute(run_id=run.pk, deadline=time.monotonic())
        run.refresh_from_db()
        phases.append(run.checkpoint.get("phase"))

    # then it went through each pass, a commit at a time, and ended as one uninterrupted run
    assert outcome == "succeeded"
    assert {"papers", "people", "prospects"} <= set(phases)
    assert written() == expected


def test_a_run_whose_staged_mentions_are_gone_fails_saying_so(postgres, small, settings, tmp_path):
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    path = write_snapshot(tmp_path / "snap.jsonl", 200)
    run = _run(path, None)
    while not run.checkpoint.get("seq"):  # a batch staged
        assert sourcing_run_execute(run_id=run.pk, deadline=time.monotonic()) == "continue"
        run.refresh_from_db()
    assert run.checkpoint["phase"] == "papers"

    # given the server lost the unlogged staging table's rows (as after a crash)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {keyed.stage_table(run.pk)}")

    # then the run fails with the reason instead of deciding on half the mentions
    assert sourcing_run_execute(run_id=run.pk) == "failed"
    run.refresh_from_db()
    assert "staged author mentions are gone" in run.error


def test_two_passes_skip_suppressed_authors_and_count_them(postgres, small, settings, tmp_path):
    # given: someone erased, whose name and slots are on the suppression list
    from hiring.models import Suppression
    from hiring.services.suppression import mention_value, suppression_add
    from sourcing.models import Authorship

    path = write_snapshot(tmp_path / "snap.jsonl", 150)
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = None
    first = _run(path, None)
    assert sourcing_run_execute(run_id=first.pk) == "succeeded"
    victim = Authorship.objects.select_related("paper").order_by("id").first()
    assert victim is not None
    slots = Authorship.objects.filter(name=victim.name).select_related("paper")
    mentions = [mention_value(a.paper.arxiv_id, a.name) for a in slots]
    assert mentions
    suppression_add(kind=Suppression.Kind.ARXIV_MENTION, values=mentions, reason="erased")
    wipe()

    # when the file is imported again, in two passes
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    run = _run(path, None)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"

    # then: their slots are anonymous (no authorship), counted on the run
    run.refresh_from_db()
    assert run.checkpoint["keyed"] is True
    assert not Authorship.objects.filter(name=victim.name).exists()
    assert run.suppressed_count == len(mentions)


def _import_logged(path: Path, caplog: Any) -> None:
    run = _run(path, None)
    with caplog.at_level("INFO", logger="sourcing.arxiv.snapshot"):
        assert sourcing_run_execute(run_id=run.pk) == "succeeded"


def test_a_chunk_decided_before_someone_changed_people_is_decided_again(
    postgres, small, settings, monkeypatch, caplog, tmp_path
):
    # given: while pass 2 decides its second chunk, someone else changes people (a merge bumps
    # the people generation), so the chunk in flight or the one behind it rests on stale people
    from django.db import transaction

    from sourcing.people.generation import people_generation_bump

    path = write_snapshot(tmp_path / "snap.jsonl", 300)
    expected, _ = _batch_by_batch(settings, path, None)
    plan_keys = keyed.plan_keys
    calls = []

    # (the helper process, forked with this in place, counts and bumps on its own as well)
    def planned_while_people_change(run_id: int, **kwargs: Any) -> keyed.ChunkPlan:
        plan = plan_keys(run_id, **kwargs)
        calls.append(plan)
        if len(calls) == 2:
            with transaction.atomic():
                people_generation_bump()
        return plan

    monkeypatch.setattr(keyed, "plan_keys", planned_while_people_change)

    # when
    _import_logged(path, caplog)

    # then: a chunk was rejected and decided again under the lock, and nothing differs
    assert "decides its chunks again" in caplog.text
    assert len(calls) > 2
    assert written() == expected


def test_a_first_import_looks_for_no_stored_paper_and_the_same_file_again_does(
    postgres, small, settings, monkeypatch, caplog, tmp_path
):
    # given: a file with no paper twice (a first import of the snapshot), look-ups counted
    from sourcing.store import bulk

    path = write_snapshot(tmp_path / "snap.jsonl", 3 * BATCH)
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    paper_ids = bulk.paper_ids
    looked: list[int] = []

    def counted(arxiv_ids: Any) -> dict[str, int]:
        looked.append(len(arxiv_ids))
        return paper_ids(arxiv_ids)

    monkeypatch.setattr(bulk, "paper_ids", counted)

    # when: imported, then imported again
    _import_logged(path, caplog)
    first, first_looks = written(), list(looked)
    _import_logged(path, caplog)

    # then: the first import never looked (no batch was rejected either); the second found its
    # first batch stored when writing it, staged it the plain way and looked from then on, to
    # the same papers, people and authorships
    assert first_looks == []
    assert caplog.text.count("stages its batch again") == 1
    assert len(looked) >= 2
    assert written() == first


def test_a_batch_whose_paper_was_stored_meanwhile_is_staged_again(
    postgres, small, settings, monkeypatch, caplog, tmp_path
):
    # given: pass 1 planned a batch of new papers, and someone stores one of them before the
    # batch is written (an OAI harvest running beside the import)
    from sourcing.models import Paper

    path = write_snapshot(tmp_path / "snap.jsonl", 300)
    expected, _ = _batch_by_batch(settings, path, None)
    plan_stage = keyed.plan_stage
    interloper: list[str] = []

    def planned_then_stored_elsewhere(records: Any, **kwargs: Any) -> keyed.StagePlan | None:
        plan = plan_stage(records, **kwargs)
        if plan is not None and plan.arxiv_ids and not interloper:
            arxiv_id = sorted(plan.arxiv_ids)[0]
            interloper.append(arxiv_id)
            Paper.objects.create(arxiv_id=arxiv_id, title="stored by someone else")
        return plan

    monkeypatch.setattr(keyed, "plan_stage", planned_then_stored_elsewhere)

    # when
    _import_logged(path, caplog)

    # then: the batch was staged again the plain way, the stored paper updated from the file
    assert "stages its batch again" in caplog.text
    assert Paper.objects.get(arxiv_id=interloper[0]).title != "stored by someone else"
    assert written() == expected


@pytest.mark.parametrize(
    ("phase", "processed", "shown"),
    [
        ("papers", 500, "50% (500 / 1000 bytes)<br><small>pass 1 of 3"),
        ("people", 1000 + 30, "10% (30 / 300 mentions)<br><small>pass 2 of 3"),
        ("prospects", 1000 + 300 + 45, "90% (45 / 50 papers)<br><small>pass 3 of 3"),
    ],
)
def test_each_pass_of_a_two_pass_run_shows_its_own_progress(phase, processed, shown):  # type: ignore[no-untyped-def]
    from sourcing.admin.display import progress_bar

    # a 1,000-byte file with 300 mentions and 50 first authors to rank
    passes = {"people": [1000, 300], "prospects": [1300, 50]}
    run = SourcingRun(
        kind=SourcingRun.Kind.SNAPSHOT,
        status=SourcingRun.Status.RUNNING,
        checkpoint={
            "keyed": True,
            "phase": phase,
            **({"passes": passes} if phase != "papers" else {}),
        },
        processed=processed,
        total=1000 if phase == "papers" else 1350,
    )
    assert shown in str(progress_bar(run))


def test_a_run_from_before_passes_had_their_own_span_names_no_unit():  # type: ignore[no-untyped-def]
    from sourcing.admin.display import progress_bar

    run = SourcingRun(
        kind=SourcingRun.Kind.SNAPSHOT,
        status=SourcingRun.Status.RUNNING,
        checkpoint={"keyed": True, "phase": "people"},
        processed=1030,
        total=1350,
    )
    shown = str(progress_bar(run))
    assert "76% (1030 / 1350)<br><small>pass 2 of 3" in shown
    assert "bytes" not in shown


def test_the_command_prints_each_pass(postgres, small, settings, capsys, tmp_path):  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    path = write_snapshot(tmp_path / "snap.jsonl", 200)
    call_command("import_arxiv_snapshot", str(path), "--categories", *PARAMETERS["categories"])
    printed = capsys.readouterr().err
    assert "bytes (pass 1 of 3: papers and author mentions)" in printed
    assert "mentions (pass 2 of 3: people, one name key at a time)" in printed
    run = SourcingRun.objects.get()
    assert run.checkpoint["passes"]["people"] == [path.stat().st_size, run.checkpoint["seq"]]
    assert run.percent == 100


def test_a_bad_line_fails_the_run_after_everything_before_it_and_resumes(
    postgres, small, settings, tmp_path
):
    # given: a file cut in the middle of a line, several batches in (batches are in flight
    # while the next is read)
    path = write_snapshot(tmp_path / "snap.jsonl", 400)
    expected, _ = _batch_by_batch(settings, path, None)
    lines = path.read_bytes().splitlines(keepends=True)
    cut = 5 * BATCH + 3
    path.write_bytes(b"".join(lines[:cut]) + lines[cut][:40])

    # when
    run = _run(path, None)
    assert sourcing_run_execute(run_id=run.pk) == "failed"

    # then: the reason names the line, and everything before it was committed
    run.refresh_from_db()
    assert f"snapshot line {cut + 1} " in run.error
    assert run.checkpoint["line"] == cut
    assert keyed.stage_count(run.pk) == run.checkpoint["seq"]

    # and once the file is whole again, resuming ends as an uninterrupted import would
    from sourcing.launch import sourcing_run_resume

    path.write_bytes(b"".join(lines))
    sourcing_run_resume(run=run, deliver=False)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    assert written() == expected


def test_a_batch_rejected_as_a_bad_line_fails_the_run_is_staged_again_first(
    postgres, small, settings, monkeypatch, tmp_path
):
    # given: the batch handed over just before a bad line is rejected by its writer (one of its
    # papers was stored meanwhile by someone else)
    from sourcing.models import Paper

    path = write_snapshot(tmp_path / "snap.jsonl", 400)
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    lines = path.read_bytes().splitlines(keepends=True)
    cut = 5 * BATCH + 2  # the last batch: two new papers (the file revisits every 7th)
    path.write_bytes(b"".join(lines[:cut]) + lines[cut][:40])
    plan_stage = keyed.plan_stage
    stored: list[int] = []

    def last_batch_stored_elsewhere(records: Any, **kwargs: Any) -> keyed.StagePlan | None:
        plan = plan_stage(records, **kwargs)
        if plan is not None and plan.arxiv_ids and len(records) < BATCH:  # the flush at the cut
            Paper.objects.create(arxiv_id=sorted(plan.arxiv_ids)[0], title="stored elsewhere")
            stored.append(len(records))
        return plan

    monkeypatch.setattr(keyed, "plan_stage", last_batch_stored_elsewhere)

    # when
    run = _run(path, None)
    assert sourcing_run_execute(run_id=run.pk) == "failed"

    assert stored, "no batch was rejected"
    # then: the rejected batch was staged again before the run failed: everything before the
    # bad line is committed
    run.refresh_from_db()
    assert f"snapshot line {cut + 1} " in run.error
    assert run.checkpoint["line"] == cut
    assert keyed.stage_count(run.pk) == run.checkpoint["seq"]
