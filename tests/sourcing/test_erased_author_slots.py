"""An author record whose raw name is "" is an erased slot (``AuthorRecord.erased``): it keeps
its position, so the other authors keep theirs and their ``is_last`` flags, but it gets no
authorship and no person, is nobody's co-author, and a stored authorship at its position is
deleted when the paper is imported again. On all three ways in, on SQLite and PostgreSQL.

The filter that erases authors is not ingest's; here the parsers' output is erased the way it
would, keeping the name's parts and affiliation, which ingest must ignore."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings

from sourcing.arxiv import oai, query, snapshot
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, SourcingRun
from sourcing.people.names import parse_name
from sourcing.records import PaperRecord
from tests.hiring.factories import RoleProfileFactory
from tests.sourcing.feeds import Entry, feed, oai_page
from tests.sourcing.replay import ReplayServer, Reply

# Outside a transaction, so a snapshot import on PostgreSQL takes its overlapped path (a writer
# thread); serialized_rollback as in test_pipeline.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARXIV_ID = "2503.00001"
AUTHORS = ["Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra"]
XML = "text/xml; charset=utf-8"


def _snapshot(tmp_path: Path, replay: ReplayServer) -> Callable[[], None]:
    line = {
        "id": ARXIV_ID,
        "title": "Machines that learn",
        "abstract": "We study learning.",
        "categories": "cs.LG",
        "authors": ", ".join(AUTHORS),
        "authors_parsed": [[n.split()[1], n.split()[0], ""] for n in AUTHORS],
        "versions": [{"version": "v1", "created": "Mon, 3 Mar 2025 10:00:00 GMT"}],
        "update_date": "2025-03-03",
    }
    path = tmp_path / "snapshot.jsonl"
    path.write_text(json.dumps(line) + "\n")

    def run() -> None:
        _execute(SourcingRun.Kind.SNAPSHOT, {"path": str(path)})

    return run


def _oai(tmp_path: Path, replay: ReplayServer) -> Callable[[], None]:
    page = oai_page(
        [{"id": ARXIV_ID, "datestamp": "2025-03-04", "title": "Machines that learn",
          "authors": ", ".join(AUTHORS[:-1]) + " and " + AUTHORS[-1]}]
    )  # fmt: skip
    replay.add("/oai", {}, Reply(body=page, content_type=XML))

    def run() -> None:
        _execute(SourcingRun.Kind.OAI, {"set": "cs", "from": "2025-03-01"})

    return run


def _api(tmp_path: Path, replay: ReplayServer) -> Callable[[], None]:
    entry = Entry(ARXIV_ID, "Machines that learn", authors=AUTHORS)
    replay.add("/api/query", {}, Reply(body=feed([entry], total=1)))

    def run() -> None:
        _execute(SourcingRun.Kind.API, {"query": "all:learn", "max_results": 10})

    return run


def _execute(kind: str, parameters: dict[str, Any]) -> None:
    role = RoleProfileFactory(sourcing_categories=["cs.LG"], sourcing_keywords=[])
    run = sourcing_run_create(kind=kind, parameters=parameters, role_profile=role)
    assert sourcing_run_execute(run_id=run.pk) == "succeeded", SourcingRun.objects.get(pk=run.pk)


def _snapshot_two_passes(tmp_path: Path, replay: ReplayServer) -> Callable[[], None]:
    """The snapshot imported in two passes (``sourcing.store.keyed``), as large files are on
    PostgreSQL (SQLite has the one way)."""
    run = _snapshot(tmp_path, replay)

    def two_passes() -> None:
        with override_settings(SOURCING_SNAPSHOT_TWO_PASS_BYTES=0):
            run()
        last = SourcingRun.objects.latest("pk")
        assert bool(last.checkpoint.get("keyed")) is (connection.vendor == "postgresql")

    return two_passes


PATHS = {
    "snapshot": _snapshot,
    "snapshot-two-passes": _snapshot_two_passes,
    "oai": _oai,
    "api": _api,
}


def _erase(monkeypatch: pytest.MonkeyPatch, names: set[str]) -> None:
    """Every parser's records with these authors erased: raw "" in their slot, parts and
    affiliation kept (an erasing filter need not clear them)."""

    def erased(record: PaperRecord) -> PaperRecord:
        record.authors = [
            a._replace(raw="", affiliation="MIT") if a.raw in names else a for a in record.authors
        ]
        return record

    def wrap(module: Any, name: str) -> None:
        original = getattr(module, name)

        def parse(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            if isinstance(result, tuple):  # OAI-PMH: (record or None, datestamp)
                record, datestamp = result
                return (erased(record) if record is not None else None), datestamp
            return erased(result)

        monkeypatch.setattr(module, name, parse)

    wrap(snapshot, "parse_record")
    wrap(oai, "parse_record")
    wrap(query, "to_record")


def _authorships() -> list[tuple[int, str, bool]]:
    return list(
        Authorship.objects.filter(paper__arxiv_id=ARXIV_ID)
        .order_by("position")
        .values_list("position", "name", "is_last")
    )


@pytest.fixture(params=sorted(PATHS))
def import_paper(request, tmp_path, arxiv_replay) -> Callable[[], None]:  # type: ignore[no-untyped-def]
    return PATHS[request.param](tmp_path, arxiv_replay)


def test_an_erased_slot_keeps_its_position_and_is_no_one(import_paper, monkeypatch):
    # given: the second and the last author erased
    _erase(monkeypatch, {"Alan Turing", "Edsger Dijkstra"})

    # when
    import_paper()

    # then: the others keep their positions; the last slot is erased, so no one is last
    assert _authorships() == [(0, "Ada Lovelace", False), (2, "Grace Hopper", False)]
    names = set(Person.objects.values_list("display_name", flat=True))
    assert names == {"Ada Lovelace", "Grace Hopper"}
    # nobody's co-author: the erased names' blocking keys are in no one's evidence
    coauthors = {k for p in Person.objects.all() for k in p.coauthor_keys}
    assert coauthors == {parse_name("Ada Lovelace").name_key, parse_name("Grace Hopper").name_key}
    assert all(p.affiliations == [] for p in Person.objects.all())


def test_a_reimport_with_an_erased_slot_deletes_its_authorship(import_paper, monkeypatch):
    # given: the paper stored with its four authors
    import_paper()
    assert [name for _, name, _ in _authorships()] == AUTHORS
    assert Person.objects.filter(prospects__isnull=False).count() == 1  # the first author
    people = Person.objects.count()
    turing = Authorship.objects.get(paper__arxiv_id=ARXIV_ID, position=1).person_id

    # when: imported again with the second author erased
    _erase(monkeypatch, {"Alan Turing"})
    import_paper()

    # then: that authorship is gone; the others are where they were, the last still last
    assert _authorships() == [
        (0, "Ada Lovelace", False),
        (2, "Grace Hopper", False),
        (3, "Edsger Dijkstra", True),
    ]
    assert not Authorship.objects.filter(person_id=turing).exists()
    assert Person.objects.count() == people  # no one new
    assert Paper.objects.filter(arxiv_id=ARXIV_ID).count() == 1


def test_an_erased_first_author_makes_no_prospect(import_paper, monkeypatch):
    # given: the first author erased
    _erase(monkeypatch, {"Ada Lovelace"})

    # when
    import_paper()

    # then: positions 1-3 only, and no prospect (the first author is no one)
    assert [position for position, _, _ in _authorships()] == [1, 2, 3]
    assert not Person.objects.filter(prospects__isnull=False).exists()
