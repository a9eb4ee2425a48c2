"""Imports check the foreign keys of the rows they write set-wise (``sourcing.store.bulk``): each
paper and person their authorships reference locked once, PostgreSQL's per-row triggers off for
those rows. The guarantee is the trigger's: a referenced row that is gone fails the write, and
nothing of it stays; where the role may not turn triggers off (or the setting says not to), the
triggers check, with the same outcome."""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, PaperRemovals, Person, SourcingRun
from sourcing.people.generation import PEOPLE_LOCK_KEY, people_lock
from sourcing.store import bulk, keyed
from tests.sourcing.test_pipeline import write_snapshot
from tests.sourcing.test_two_pass import PARAMETERS, written

pytestmark = [pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _asked_afresh() -> Iterator[None]:
    """Whether the role may turn triggers off is asked once per database: ask in each test."""
    bulk._SETWISE_ALLOWED.clear()
    yield
    bulk._SETWISE_ALLOWED.clear()


@pytest.fixture(params=[True, False], ids=["set-wise", "per-row"])
def checks(request, settings) -> bool:  # type: ignore[no-untyped-def]
    settings.SOURCING_SETWISE_FOREIGN_KEYS = request.param
    return bool(request.param)


def _staged(path: Path) -> SourcingRun:
    """A two-pass run stopped once its first pass (papers, mentions staged) has committed."""
    run = sourcing_run_create(kind="snapshot", parameters={"path": str(path), **PARAMETERS})
    while run.checkpoint.get("phase") not in {"people", "done"}:
        assert sourcing_run_execute(run_id=run.pk, deadline=time.monotonic()) == "continue"
        run.refresh_from_db()
    assert run.checkpoint["phase"] == "people"
    return run


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chunk_whose_paper_was_deleted_meanwhile_fails_and_writes_nothing(
    postgres, checks, settings, tmp_path
):
    # given: a chunk of people decided, then one of the papers it names deleted by someone else
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    run = _staged(write_snapshot(tmp_path / "snap.jsonl", 60))
    plan = keyed.plan_keys(run.pk, after="", until=keyed.chunk_end(run.pk, after="", mentions=40))
    gone = sorted(plan.decided.first_authors)[len(plan.decided.first_authors) // 2]
    Paper.objects.filter(pk=gone).delete()

    # when it is written
    with pytest.raises(IntegrityError), transaction.atomic():
        keyed.write_chunk(plan)

    # then: nothing of it was written
    assert not Person.objects.exists()
    assert not Authorship.objects.exists()


def _removals_counted() -> int:
    """The paper removals counted now (their row made again if a flush emptied the table)."""
    PaperRemovals.objects.get_or_create(pk=1)
    counted = bulk.paper_removals()
    assert counted is not None
    return counted


def _papers_looked_up(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    looked: list[int] = []
    referenced = bulk._referenced

    def counted(cursor: Any, model: Any, ids: Any, *, lock: bool) -> None:
        if model is Paper:
            looked.append(len(ids))
        referenced(cursor, model, ids, lock=lock)

    monkeypatch.setattr(bulk, "_referenced", counted)
    return looked


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chunk_looks_no_paper_up_while_none_was_removed_since_the_run_began(
    postgres, settings, monkeypatch, tmp_path
):
    # given: the removals counted before the first pass, then a chunk of people decided
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    removed = _removals_counted()
    run = _staged(write_snapshot(tmp_path / "snap.jsonl", 60))
    assert run.checkpoint["papers_removed"] == removed
    plan = keyed.plan_keys(run.pk, after="", until=keyed.chunk_end(run.pk, after="", mentions=40))
    looked = _papers_looked_up(monkeypatch)

    # when it is written with the run's count
    with transaction.atomic():
        keyed.write_chunk(plan, papers_removed=run.checkpoint["papers_removed"])

    # then: written, its papers not looked up one by one
    assert looked == []
    assert Authorship.objects.count() == plan.decided.mentions > 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_chunk_looks_its_papers_up_once_one_was_removed_and_fails_if_one_of_them_is_gone(
    postgres, settings, monkeypatch, tmp_path
):
    # given: the run's chunk decided, then one of its papers deleted by someone else
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    _removals_counted()
    run = _staged(write_snapshot(tmp_path / "snap.jsonl", 60))
    plan = keyed.plan_keys(run.pk, after="", until=keyed.chunk_end(run.pk, after="", mentions=40))
    gone = sorted(plan.decided.first_authors)[len(plan.decided.first_authors) // 2]
    Paper.objects.filter(pk=gone).delete()
    looked = _papers_looked_up(monkeypatch)

    # when it is written with the run's count, which has moved
    with pytest.raises(IntegrityError), transaction.atomic():
        keyed.write_chunk(plan, papers_removed=run.checkpoint["papers_removed"])

    # then: its papers were looked up, the missing one found, nothing written
    assert looked == [len(plan.writes.referenced_papers)]
    assert not Person.objects.exists()
    assert not Authorship.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_removing_papers_is_counted_and_changing_them_otherwise_is_not(postgres):
    removed = _removals_counted()
    papers = [
        Paper.objects.create(arxiv_id=f"2401.0001{i}", title="T", abstract="A") for i in range(3)
    ]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sourcing_paper SET title = 'U'")
        assert bulk.paper_removals() == removed
        cursor.execute("DELETE FROM sourcing_paper WHERE id = %s", [papers[0].pk])
        assert bulk.paper_removals() == removed + 1
        cursor.execute("UPDATE sourcing_paper SET id = -id WHERE id = %s", [papers[1].pk])
        assert bulk.paper_removals() == removed + 2
        cursor.execute("DELETE FROM sourcing_paper WHERE id = -1")  # nothing: counted all the same
        assert bulk.paper_removals() == removed + 3
        cursor.execute("TRUNCATE sourcing_paper CASCADE")
        assert bulk.paper_removals() == removed + 4


@pytest.mark.django_db
def test_an_authorship_of_a_person_who_is_gone_fails_the_write(postgres, checks):
    # given: a stored paper and an authorship planned for a person deleted meanwhile
    paper = Paper.objects.create(arxiv_id="2401.00001", title="T", abstract="A")
    person = Person.objects.create(display_name="Ada Lovelace", name_key="lovelace|a")
    gone = person.pk
    person.delete()
    line = bulk.authorship_line(paper.pk, gone, 0, False, "Ada Lovelace", "", 0.9)
    writes = bulk.BatchWrites(
        new_authorships=bulk.encoded([line]),
        referenced_papers=[paper.pk],
        referenced_people=[gone],
    )

    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.write(writes)
    assert not Authorship.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_references_that_hold_are_written_and_kept_from_deletion_until_commit(postgres, checks):
    paper = Paper.objects.create(arxiv_id="2401.00002", title="T", abstract="A")
    person = Person.objects.create(display_name="Ada Lovelace", name_key="lovelace|a")
    line = bulk.authorship_line(paper.pk, person.pk, 0, False, "Ada Lovelace", "", 0.9)
    writes = bulk.BatchWrites(
        new_authorships=bulk.encoded([line]),
        referenced_papers=[paper.pk],
        referenced_people=[person.pk],
    )
    db = connection.settings_dict
    with (
        psycopg.connect(
            dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"], autocommit=True
        ) as other,
        transaction.atomic(),
    ):
        bulk.write(writes)
        with connection.cursor() as cursor:
            # The triggers are on again for whatever the transaction does next.
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone() == ("origin",)
        # Someone deleting the paper or the person waits for this transaction (the lock the
        # check took), as with the trigger's.
        other.execute("SET lock_timeout = '200ms'")
        for table, pk in (("sourcing_paper", paper.pk), ("sourcing_person", person.pk)):
            with pytest.raises(psycopg.errors.LockNotAvailable):
                other.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
    assert list(Authorship.objects.values_list("paper_id", "person_id")) == [(paper.pk, person.pk)]
    # The way asked for is the way taken (this test's role is a superuser).
    assert (True in bulk._SETWISE_ALLOWED.values()) is checks
    Authorship.objects.all().delete()
    paper.delete()
    person.delete()


@pytest.mark.django_db
def test_a_role_that_may_not_turn_triggers_off_is_checked_per_row(postgres, settings):
    # given: a role of the kind production often has, not a superuser
    settings.SOURCING_SETWISE_FOREIGN_KEYS = True
    role = f"hirebar_plain_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOSUPERUSER")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
    paper = Paper.objects.create(arxiv_id="2401.00003", title="T", abstract="A")
    line = bulk.authorship_line(paper.pk, 10**9, 0, False, "Ada Lovelace", "", 0.9)
    # Not listed among the references: only the trigger can find it missing.
    writes = bulk.BatchWrites(new_authorships=bulk.encoded([line]), referenced_papers=[paper.pk])

    # when / then: the probe is refused, the write goes on with the triggers, which catch it
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.write(writes)
    assert list(bulk._SETWISE_ALLOWED.values()) == [False]
    assert not Authorship.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_set_wise_and_per_row_checks_import_the_same(postgres, settings, tmp_path):
    settings.SOURCING_SNAPSHOT_TWO_PASS_BYTES = 0
    path = write_snapshot(tmp_path / "snap.jsonl", 300)
    found = []
    for setwise in (True, False):
        settings.SOURCING_SETWISE_FOREIGN_KEYS = setwise
        bulk._SETWISE_ALLOWED.clear()
        run = sourcing_run_create(kind="snapshot", parameters={"path": str(path), **PARAMETERS})
        assert sourcing_run_execute(run_id=run.pk) == "succeeded"
        found.append(written())
        assert (True in bulk._SETWISE_ALLOWED.values()) is setwise
        bulk._SETWISE_ALLOWED.clear()
        for model in (Authorship, Person, Paper):
            model.objects.all().delete()
    assert found[0] == found[1]
    assert found[0]["people"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_paper_is_deleted_only_once_no_import_holds_the_people_lock(postgres):
    # given: a batch in flight (it holds the people lock) and someone deleting a paper
    paper = Paper.objects.create(arxiv_id="2401.00004", title="T", abstract="A")
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], host=db["HOST"], port=db["PORT"], user=db["USER"], autocommit=True
    ) as other:
        other.execute("SET lock_timeout = '200ms'")
        with transaction.atomic():
            people_lock()
            # when / then: the deletion, or a change of the paper's id, waits for it
            for statement in ("DELETE FROM sourcing_paper", "UPDATE sourcing_paper SET id = -id"):
                with pytest.raises(psycopg.errors.LockNotAvailable):
                    other.execute(f"{statement} WHERE id = %s", [paper.pk])
            # A change that does not touch the key does not.
            other.execute("UPDATE sourcing_paper SET title = 'U' WHERE id = %s", [paper.pk])
        # and goes ahead once the batch has committed
        other.execute("DELETE FROM sourcing_paper WHERE id = %s", [paper.pk])
    assert not Paper.objects.exists()


@pytest.mark.parametrize("name", ["0009_paper_changes_wait_for_people_lock", "0010_paper_removals"])
def test_the_migrations_wait_for_the_lock_imports_take(name):
    migration = importlib.import_module(f"sourcing.migrations.{name}")
    assert migration.PEOPLE_LOCK_KEY == PEOPLE_LOCK_KEY
