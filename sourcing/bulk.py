"""PostgreSQL fast path for batch writes: COPY into a temporary table, then one set-based
``INSERT ... ON CONFLICT`` or ``UPDATE ... FROM`` per table. Semantically the same upserts as the
ORM path in ``ingest.py`` (same natural keys, same updated columns), at a fraction of the cost
per row; it runs inside the caller's transaction (temporary tables are dropped on commit).

Rows are formatted here as COPY text, one string per batch: psycopg's per-row ``write_row``
costs more than everything else about a row, and the values are few, known types."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from django.db import connection
from django.utils import timezone

from sourcing.models import Authorship, Paper, Person
from sourcing.people.disambiguation import PersonState
from sourcing.records import PaperRecord

NULL = "\\N"


def text(value: str) -> str:
    """A string as a COPY text field: backslash and the row/field separators escaped."""
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def json_text(value: Any) -> str:
    return text(orjson.dumps(value).decode())


def _when(value: dt.datetime | None) -> str:
    return NULL if value is None else value.isoformat()


def _number(value: int | None) -> str:
    return NULL if value is None else str(value)


def _raw_cursor() -> Any:
    connection.ensure_connection()
    return connection.connection.cursor()


def _copy(cursor: Any, table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        copy.write("".join(lines))


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


def _paper_line(p: PaperRecord, tail: str) -> str:
    return (
        f"{text(p.arxiv_id)}\t{p.latest_version}\t{text(p.title)}\t{text(p.abstract)}\t"
        f"{json_text(p.categories)}\t{text(p.primary_category)}\t{_when(p.published)}\t"
        f"{_when(p.updated)}\t{text(p.comment)}\t{text(p.journal_ref)}\t{text(p.doi[:255])}"
        f"{tail}"
    )


def upsert_papers(papers: Sequence[PaperRecord]) -> dict[str, int]:
    """Insert or update by ``arxiv_id``; the GitHub-maintained columns are never touched. Takes
    the parsed records directly: building a model instance per paper cost more than the COPY."""
    now = timezone.now().isoformat()
    cursor = _raw_cursor()
    columns = [
        *PAPER_COLUMNS,
        "reimplementation_count",
        "has_official_code",
        "created_at",
        "updated_at",
    ]
    _temp_like(cursor, "tmp_paper", Paper, columns)
    tail = f"\t0\tf\t{now}\t{now}\n"
    _copy(cursor, "tmp_paper", columns, (_paper_line(p, tail) for p in papers))
    table = Paper._meta.db_table
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*PAPER_COLUMNS[1:], "updated_at"])
    cursor.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - fixed identifiers
        f"SELECT {', '.join(columns)} FROM tmp_paper "
        f"ON CONFLICT (arxiv_id) DO UPDATE SET {updates} RETURNING arxiv_id, id"
    )
    return dict(cursor.fetchall())


def existing_authorships(paper_ids: Sequence[int]) -> list[tuple[int, int, int, str, float]]:
    """``(paper, position, person, name, confidence)`` of these papers' authorships."""
    cursor = _raw_cursor()
    cursor.execute(
        "SELECT paper_id, position, person_id, name, match_confidence "  # noqa: S608
        f"FROM {Authorship._meta.db_table} WHERE paper_id = ANY(%s)",
        [list(paper_ids)],
    )
    return list(cursor.fetchall())


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
_EVIDENCE_COLUMNS = ["name_forms", "affiliations", "category_groups", "coauthor_keys"]
_SCALAR_COLUMNS = [c for c in PERSON_COLUMNS if c not in _EVIDENCE_COLUMNS]
_STATE_COLUMNS = ["id", "display_name", "name_key", "full_key", "confidence"]


def live_people_by_keys(keys: Sequence[str]) -> list[PersonState]:
    """Live (not merged) people with these ``name_key`` values, in the model's order, as
    disambiguation states. The four evidence columns travel as one JSON array per row: the
    per-column JSON decoding costs more than the query."""
    cursor = _raw_cursor()
    cursor.execute(
        f"SELECT {', '.join(_STATE_COLUMNS)}, first_year, last_year, "  # noqa: S608
        f"json_build_array({', '.join(_EVIDENCE_COLUMNS)})::text "
        f"FROM {Person._meta.db_table} "
        "WHERE name_key = ANY(%s) AND merged_into_id IS NULL ORDER BY display_name, id",
        [list(keys)],
    )
    people = []
    for pk, display, key, full, confidence, first, last, evidence in cursor:
        forms, affiliations, groups, coauthors = orjson.loads(evidence)
        people.append(
            PersonState(
                pk=pk,
                display_name=display,
                name_key=key,
                full_key=full,
                confidence=confidence,
                first_year=first,
                last_year=last,
                name_forms=forms,
                affiliations=affiliations,
                category_groups=groups,
                coauthor_keys=coauthors,
            )
        )
    return people


def _person_line(p: PersonState, tail: str) -> str:
    return (
        f"{p.pk}\t{text(p.display_name)}\t{text(p.name_key)}\t{text(p.full_key)}\t"
        f"{json_text(p.name_forms)}\t{p.confidence!r}\t{json_text(p.category_groups)}\t"
        f"{json_text(p.affiliation_names)}\t{json_text(p.coauthor_keys)}\t"
        f"{_number(p.first_year)}\t{_number(p.last_year)}{tail}"
    )


def insert_people(people: Sequence[PersonState]) -> None:
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
    now = timezone.now().isoformat()
    tail = f"\t{now}\t{now}\n"
    _copy(
        cursor,
        table,
        ["id", *PERSON_COLUMNS, "created_at", "updated_at"],
        (_person_line(p, tail) for p in people),
    )


def _evidence_line(p: PersonState) -> str:
    evidence = [p.name_forms, p.affiliation_names, p.category_groups, p.coauthor_keys]
    return (
        f"{p.pk}\t{text(p.display_name)}\t{text(p.name_key)}\t{text(p.full_key)}\t"
        f"{p.confidence!r}\t{_number(p.first_year)}\t{_number(p.last_year)}\t"
        f"{json_text(evidence)}\n"
    )


def update_people(people: Sequence[PersonState]) -> None:
    """The four evidence columns travel as one JSON array per person, split apart in SQL: a
    batch rewrites thousands of people, and encoding one document instead of four halves the
    Python side of it."""
    if not people:
        return
    cursor = _raw_cursor()
    table = Person._meta.db_table
    cursor.execute("DROP TABLE IF EXISTS tmp_person")
    cursor.execute(
        "CREATE TEMP TABLE tmp_person ON COMMIT DROP AS "  # noqa: S608 - fixed identifiers
        f"SELECT id, {', '.join(_SCALAR_COLUMNS)}, name_forms AS evidence FROM {table} "
        "WITH NO DATA"
    )
    _copy(cursor, "tmp_person", ["id", *_SCALAR_COLUMNS, "evidence"], map(_evidence_line, people))
    sets = [f"{c} = t.{c}" for c in _SCALAR_COLUMNS]
    sets += [f"{c} = t.evidence -> {i}" for i, c in enumerate(_EVIDENCE_COLUMNS)]
    cursor.execute(
        f"UPDATE {table} AS p SET {', '.join(sets)}, updated_at = %s "  # noqa: S608 - fixed identifiers
        "FROM tmp_person AS t WHERE p.id = t.id",
        [timezone.now()],
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


def authorship_line(
    paper_id: int, person_id: int, position: int, is_last: bool, name: str, aff: str, score: float
) -> str:
    return (
        f"{paper_id}\t{person_id}\t{position}\t{'t' if is_last else 'f'}\t{text(name[:300])}\t"
        f"{text(aff[:500])}\t{score!r}\n"
    )


def upsert_authorships(lines: Iterable[str]) -> None:
    """COPY text lines (``authorship_line``); upsert on ``(paper, position)``."""
    cursor = _raw_cursor()
    _temp_like(cursor, "tmp_authorship", Authorship, AUTHORSHIP_COLUMNS)
    _copy(cursor, "tmp_authorship", AUTHORSHIP_COLUMNS, lines)
    columns = ", ".join(AUTHORSHIP_COLUMNS)
    updates = ", ".join(
        f"{c} = EXCLUDED.{c}" for c in AUTHORSHIP_COLUMNS if c not in ("paper_id", "position")
    )
    cursor.execute(
        f"INSERT INTO {Authorship._meta.db_table} ({columns}) "  # noqa: S608 - fixed identifiers
        f"SELECT {columns} FROM tmp_authorship "
        f"ON CONFLICT (paper_id, position) DO UPDATE SET {updates}"
    )
