"""PostgreSQL fast path for batch writes: COPY into a temporary table, then one set-based
``INSERT ... ON CONFLICT`` or ``UPDATE ... FROM`` per table. Semantically the same upserts as the
ORM path in ``ingest.py`` (same natural keys, same updated columns), at a fraction of the cost
per row; it runs inside the caller's transaction (temporary tables are dropped on commit)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection
from django.utils import timezone

from sourcing.models import Authorship, Paper, Person


def _raw_cursor() -> Any:
    connection.ensure_connection()
    return connection.connection.cursor()


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _temp_like(cursor: Any, temp: str, model: Any, columns: Sequence[str]) -> None:
    """A temporary table with these columns' types and no constraints (dropped on commit, or
    here when the caller's transaction is still open from an earlier batch)."""
    cursor.execute(f"DROP TABLE IF EXISTS {temp}")
    cursor.execute(
        f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS "  # noqa: S608 - fixed identifiers
        f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WITH NO DATA"
    )


PAPER_COLUMNS = [
    "arxiv_id",
    "latest_version",
    "title",
    "abstract",
    "categories",
    "primary_category",
    "published",
    "updated",
    "comment",
    "journal_ref",
    "doi",
]


def upsert_papers(papers: Sequence[Paper]) -> dict[str, int]:
    """Insert or update by ``arxiv_id``; the GitHub-maintained columns are never touched."""
    now = timezone.now()
    cursor = _raw_cursor()
    columns = [
        *PAPER_COLUMNS,
        "reimplementation_count",
        "has_official_code",
        "created_at",
        "updated_at",
    ]
    _temp_like(cursor, "tmp_paper", Paper, columns)
    _copy(
        cursor,
        "tmp_paper",
        columns,
        (
            (
                p.arxiv_id, p.latest_version, p.title, p.abstract, json.dumps(p.categories),
                p.primary_category, p.published, p.updated, p.comment, p.journal_ref, p.doi,
                0, False, now, now,
            )
            for p in papers
        ),
    )  # fmt: skip
    table = Paper._meta.db_table
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*PAPER_COLUMNS[1:], "updated_at"])
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed identifiers
        f"SELECT {', '.join(columns)} FROM tmp_paper "
        f"ON CONFLICT (arxiv_id) DO UPDATE SET {updates} RETURNING arxiv_id, id"
    )
    return dict(cursor.fetchall())


PERSON_COLUMNS = [
    "display_name",
    "name_key",
    "full_key",
    "name_forms",
    "confidence",
    "category_groups",
    "affiliations",
    "coauthor_keys",
    "first_year",
    "last_year",
]


def _person_row(person: Person) -> tuple[Any, ...]:
    return (
        person.display_name,
        person.name_key,
        person.full_key,
        json.dumps(person.name_forms),
        person.confidence,
        json.dumps(person.category_groups),
        json.dumps(person.affiliations),
        json.dumps(person.coauthor_keys),
        person.first_year,
        person.last_year,
    )


def insert_people(people: Sequence[Person]) -> None:
    """Give the new people ids from the table's sequence, then COPY them in directly."""
    if not people:
        return
    cursor = _raw_cursor()
    table = Person._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, len(people)],
    )
    for person, (pk,) in zip(people, cursor.fetchall(), strict=True):
        person.pk = pk
    now = timezone.now()
    _copy(
        cursor,
        table,
        ["id", *PERSON_COLUMNS, "created_at", "updated_at"],
        ((p.pk, *_person_row(p), now, now) for p in people),
    )


def update_people(people: Sequence[Person]) -> None:
    if not people:
        return
    cursor = _raw_cursor()
    columns = ["id", *PERSON_COLUMNS, "created_at", "updated_at"]
    _temp_like(cursor, "tmp_person", Person, columns)
    now = timezone.now()
    _copy(
        cursor,
        "tmp_person",
        columns,
        ((p.pk, *_person_row(p), now, now) for p in people),
    )
    sets = ", ".join(f"{c} = t.{c}" for c in [*PERSON_COLUMNS, "updated_at"])
    cursor.execute(
        f"UPDATE {Person._meta.db_table} AS p SET {sets} "  # noqa: S608 - fixed identifiers
        "FROM tmp_person AS t WHERE p.id = t.id"
    )


AUTHORSHIP_COLUMNS = [
    "paper_id",
    "person_id",
    "position",
    "is_last",
    "name",
    "affiliation",
    "match_confidence",
]


def upsert_authorships(rows: Iterable[tuple[Any, ...]]) -> None:
    """Rows in ``AUTHORSHIP_COLUMNS`` order; upsert on ``(paper, position)``."""
    cursor = _raw_cursor()
    _temp_like(cursor, "tmp_authorship", Authorship, AUTHORSHIP_COLUMNS)
    _copy(cursor, "tmp_authorship", AUTHORSHIP_COLUMNS, rows)
    columns = ", ".join(AUTHORSHIP_COLUMNS)
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}" for c in AUTHORSHIP_COLUMNS if c not in ("paper_id", "position")
    )
    cursor.execute(
        f"INSERT INTO {Authorship._meta.db_table} ({columns}) "  # noqa: S608 - fixed identifiers
        f"SELECT {columns} FROM tmp_authorship "
        f"ON CONFLICT (paper_id, position) DO UPDATE SET {updates}"
    )
