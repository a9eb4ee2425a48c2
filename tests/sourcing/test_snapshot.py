"""Bulk snapshot import over the real first 100 lines of the public snapshot."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.arxiv.snapshot import squeeze
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, SourcingRun
from tests.sourcing.conftest import SNAPSHOT

pytestmark = pytest.mark.django_db


def _run(path: Path, **parameters: object) -> SourcingRun:
    return sourcing_run_create(
        kind=SourcingRun.Kind.SNAPSHOT, parameters={"path": str(path), **parameters}
    )


def _counts() -> tuple[int, int, int]:
    return Paper.objects.count(), Person.objects.count(), Authorship.objects.count()


def test_the_sample_imports_every_record_with_parsed_authors():
    run = _run(SNAPSHOT)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"

    run.refresh_from_db()
    assert Paper.objects.count() == 100 == run.papers_count
    assert run.processed == run.total == SNAPSHOT.stat().st_size
    paper = Paper.objects.get(arxiv_id="0704.0001")
    assert paper.latest_version == 2
    assert paper.published.isoformat() == "2007-04-02T19:18:42+00:00"
    assert paper.journal_ref == "Phys.Rev.D76:013009,2007"
    assert paper.categories == ["hep-ph"]
    first = paper.authorships.get(position=0)
    assert first.name == "C. Balázs"  # TeX escape decoded via authors_parsed
    assert first.person.name_key == "balazs|c"
    assert paper.authorships.get(position=3).is_last


def test_reimporting_is_idempotent():
    sourcing_run_execute(run_id=_run(SNAPSHOT).pk)
    counts = _counts()
    sourcing_run_execute(run_id=_run(SNAPSHOT).pk)
    assert _counts() == counts


def test_category_filter_keeps_matching_records_only():
    run = _run(SNAPSHOT, categories=["math"])
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    kept = list(Paper.objects.values_list("categories", flat=True))
    assert kept
    assert all(any(c.split(".")[0] == "math" for c in cats) for cats in kept)
    lines = SNAPSHOT.read_text().splitlines()
    expected = sum(
        1
        for line in lines
        if any(c.split(".")[0] == "math" for c in json.loads(line)["categories"].split())
    )
    assert len(kept) == expected


def test_gzip_snapshot(tmp_path):
    path = tmp_path / "snap.jsonl.gz"
    path.write_bytes(gzip.compress(SNAPSHOT.read_bytes()))
    assert sourcing_run_execute(run_id=_run(path).pk) == "succeeded"
    assert Paper.objects.count() == 100


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_truncated_line_fails_with_its_position_and_the_run_resumes_after_repair(
    tmp_path, settings, suffix
):
    # given a download cut in the middle of line 61, in batches of 25
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = 25
    lines = SNAPSHOT.read_bytes().splitlines(keepends=True)
    path = tmp_path / f"cut{suffix}"
    store = gzip.compress if suffix.endswith(".gz") else bytes
    path.write_bytes(store(b"".join(lines[:60]) + lines[60][:200]))
    run = _run(path)

    # when
    assert sourcing_run_execute(run_id=run.pk) == "failed"

    # then the reason names the line, and everything before it is committed
    run.refresh_from_db()
    offset = sum(len(line) for line in lines[:60])
    assert run.error.startswith(f"snapshot line 61 (byte {offset}) is truncated")
    assert run.checkpoint == {"offset": offset, "line": 60, "skipped": 0}
    assert Paper.objects.count() == 60

    # when the full file is in place, resuming reads only from the checkpoint on (the
    # uncompressed offset, for a compressed file)
    path.write_bytes(store(b"".join(lines)))
    SourcingRun.objects.filter(pk=run.pk).update(status=SourcingRun.Status.QUEUED)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    assert run.papers_count == 100 == Paper.objects.count()


def test_invalid_lines_can_be_skipped_and_counted(tmp_path):
    lines = SNAPSHOT.read_bytes().splitlines(keepends=True)
    path = tmp_path / "holes.jsonl"
    path.write_bytes(b"".join(lines[:10]) + b'{"id": "broken\n' + b"".join(lines[10:20]))
    run = _run(path, skip_invalid=True)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    assert run.checkpoint["skipped"] == 1
    assert Paper.objects.count() == 20


def test_import_command_shows_progress_and_summary(capsys):
    call_command("import_arxiv_snapshot", str(SNAPSHOT), "--categories", "hep-ph")
    captured = capsys.readouterr()
    assert "[##############################]" in captured.err
    assert "succeeded" in captured.out
    with pytest.raises(CommandError, match="not found"):
        call_command("import_arxiv_snapshot", "/nonexistent.jsonl", verbosity=0)


def test_command_resumes_a_failed_run(tmp_path):
    lines = SNAPSHOT.read_bytes().splitlines(keepends=True)
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b"".join(lines[:30]) + lines[30][:50])
    with pytest.raises(CommandError, match="line 31"):
        call_command("import_arxiv_snapshot", str(path), verbosity=0)
    run = SourcingRun.objects.get()
    path.write_bytes(b"".join(lines))
    call_command("import_arxiv_snapshot", "--resume", str(run.pk), verbosity=0)
    run.refresh_from_db()
    assert run.status == SourcingRun.Status.SUCCEEDED
    assert Paper.objects.count() == 100


@pytest.mark.parametrize(
    "text",
    [
        "  A fully differential calculation\npresented for the production\n",
        "one  two",
        "seven" + " " * 7 + "spaces\nand  two,   three",
        "tab\there",
        "windows\r\nline ends",
        "\x0bvertical\x0ctab\x1cand\x1dseparators\x1e\x1f",
        "non-breaking\xa0space",
        "em\u2003space and line\u2028separator",
        "Schr\u00f6dinger  equation\n",
        "\n\n",
        "",
        "plain",
    ],
)
def test_squeeze_is_split_and_join(text):
    assert squeeze(text) == " ".join(text.split())


def test_squeeze_is_split_and_join_on_generated_texts():
    rng = random.Random(5)
    alphabet = "ab  \n\t\r\x0b\x0c\x1c\x1f\xa0é"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert squeeze(text) == " ".join(text.split()), repr(text)


def record_commits(monkeypatch: pytest.MonkeyPatch, field: str) -> list[int]:
    """The checkpoint line of every save of a run that writes ``field`` (a committed batch)."""
    lines: list[int] = []
    original = SourcingRun.save

    def save(self: SourcingRun, *args: object, **kwargs: Any) -> None:
        if field in (kwargs.get("update_fields") or ()):
            lines.append(self.checkpoint["line"])
        original(self, *args, **kwargs)

    monkeypatch.setattr(SourcingRun, "save", save)
    return lines


def test_a_run_started_with_a_batch_size_keeps_it_when_resumed(tmp_path, settings, monkeypatch):
    # given a download cut in the middle of line 61, imported 20 records at a time
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = 1000
    lines = SNAPSHOT.read_bytes().splitlines(keepends=True)
    path = tmp_path / "cut.jsonl"
    path.write_bytes(b"".join(lines[:60]) + lines[60][:200])
    with pytest.raises(CommandError, match="line 61"):
        call_command("import_arxiv_snapshot", str(path), "--batch-size", "20", verbosity=0)

    # then the failure left three committed batches of 20
    run = SourcingRun.objects.get()
    assert run.parameters["batch_size"] == 20
    assert run.checkpoint["line"] == 60
    assert Paper.objects.count() == 60

    # when resumed on the whole file with another default, it still commits 20 at a time
    path.write_bytes(b"".join(lines))
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = 7
    commits = record_commits(monkeypatch, "papers_count")
    call_command("import_arxiv_snapshot", "--resume", str(run.pk), verbosity=0)
    assert commits == [80, 100]
    assert Paper.objects.count() == 100


@pytest.mark.parametrize("size", ["0", "-3", "many"])
def test_a_batch_size_that_is_not_a_positive_number_is_refused(size):
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("import_arxiv_snapshot", str(SNAPSHOT), "--batch-size", size, verbosity=0)
    assert not SourcingRun.objects.exists()


def test_short_of_memory_an_import_takes_smaller_batches_to_the_same_result(
    tmp_path, settings, monkeypatch
):
    from sourcing.people import cache as people_cache
    from tests.sourcing.test_people_cache import people_partition

    # given the sample imported 40 records at a time with memory to spare
    settings.SOURCING_SNAPSHOT_BATCH_SIZE = 40
    assert sourcing_run_execute(run_id=_run(SNAPSHOT).pk) == "succeeded"
    expected = people_partition()
    Authorship.objects.all().delete()
    Person.objects.all().delete()
    Paper.objects.all().delete()

    # when the process's memory keeps reaching new highs past the budget, with the cache
    # already at its floor
    readings = iter(range(2**30, 2**31, 2**20))
    monkeypatch.setattr(people_cache, "resident_bytes", lambda: next(readings))
    monkeypatch.setattr(people_cache, "MIN_CAPACITY", 10**6)
    settings.SOURCING_MEMORY_BUDGET_MB = 1
    commits = record_commits(monkeypatch, "papers_count")
    assert sourcing_run_execute(run_id=_run(SNAPSHOT).pk) == "succeeded"

    # then each batch is a tenth smaller than the one before, and the people are the same
    sizes = [b - a for a, b in zip([0, *commits], commits, strict=False)]
    assert sizes == [40, 36, 24]  # the last: what is left of the 100 lines
    assert people_partition() == expected
