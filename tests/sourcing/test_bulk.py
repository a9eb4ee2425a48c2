"""PostgreSQL's fast path writes rows as COPY text (``sourcing.store.bulk``): text that holds
COPY's own separators, backslashes, quotes or non-ASCII letters is stored exactly as given, in plain
columns and inside JSON documents alike, for new rows and for people whose evidence a later
batch rewrites."""

from __future__ import annotations

import datetime as dt

import pytest

from sourcing.models import Authorship, Paper, Person
from sourcing.people.names import NameParts
from sourcing.records import AuthorRecord, PaperRecord
from sourcing.store.ingest import ingest_batch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

AWKWARD = 'a\\b\tc\nd\re "q" \\N é \\\\t'
NAME = NameParts(surname="O\\Brien\t", given=("Zoë",))


def record(arxiv_id: str, affiliation: str, year: int) -> PaperRecord:
    return PaperRecord(
        arxiv_id=arxiv_id,
        title=f"Title {AWKWARD}",
        abstract=f"Abstract {AWKWARD}",
        categories=["cs.LG", f"x.{AWKWARD}"],
        primary_category="cs.LG",
        published=dt.datetime(year, 3, 1, 12, 30, tzinfo=dt.UTC),
        updated=dt.datetime(year, 3, 2, tzinfo=dt.UTC),
        comment=AWKWARD,
        journal_ref=AWKWARD,
        doi=AWKWARD,
        authors=[AuthorRecord(raw=f"Zoë O\\Brien {AWKWARD}", parts=NAME, affiliation=affiliation)],
    )


def test_awkward_text_is_stored_exactly_in_new_and_rewritten_rows(postgres):
    # given a paper whose every text holds separators, backslashes and quotes
    ingest_batch([record("2401.00001", f"Lab {AWKWARD}", 2024)])

    # when a later batch extends the same person's evidence (their row is rewritten)
    ingest_batch([record("2401.00002", f"Institute {AWKWARD}", 2025)])

    # then every value reads back as it was given
    papers = list(Paper.objects.order_by("arxiv_id"))
    assert [p.arxiv_id for p in papers] == ["2401.00001", "2401.00002"]
    for paper in papers:
        assert (paper.title, paper.abstract) == (f"Title {AWKWARD}", f"Abstract {AWKWARD}")
        assert (paper.comment, paper.journal_ref, paper.doi) == (AWKWARD, AWKWARD, AWKWARD)
        assert paper.categories == ["cs.LG", f"x.{AWKWARD}"]
    assert papers[0].published == dt.datetime(2024, 3, 1, 12, 30, tzinfo=dt.UTC)
    assert papers[1].updated == dt.datetime(2025, 3, 2, tzinfo=dt.UTC)
    person = Person.objects.get()
    assert person.display_name == NAME.display
    assert person.name_forms == [{"name": NAME.display, "initials": ["z"]}]
    assert person.affiliations == [f"Lab {AWKWARD}", f"Institute {AWKWARD}"]
    assert (person.first_year, person.last_year) == (2024, 2025)
    assert list(
        Authorship.objects.order_by("paper__arxiv_id").values_list("name", "affiliation")
    ) == [
        (f"Zoë O\\Brien {AWKWARD}", f"Lab {AWKWARD}"),
        (f"Zoë O\\Brien {AWKWARD}", f"Institute {AWKWARD}"),
    ]
