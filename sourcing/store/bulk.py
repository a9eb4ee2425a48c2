"""PostgreSQL fast path for batch reads and writes. Rows of new papers, people and authorships
are COPYed straight into their tables (their ids reserved beforehand); rows that update stored
ones go through a temporary table and one set-based ``INSERT ... ON CONFLICT`` or
``UPDATE ... FROM`` per table. Semantically the same upserts as the ORM path in ``ingest.py``
(same natural keys, same updated columns), at a fraction of the cost per row; writes run inside
the caller's transaction (temporary tables are dropped on commit).

Rows are formatted as COPY text, one payload per table and batch: psycopg's per-row
``write_row`` costs more than everything else about a row, and the values are few, known types.
Raw psycopg cursors are used for speed; their errors are raised as Django's (``_django_errors``)
so callers tell an integrity error or a lost connection from a bug the usual way.

Foreign keys of the rows a batch writes are checked set-wise where the database role may
(``SOURCING_SETWISE_FOREIGN_KEYS``, ``_key_checks``): PostgreSQL's own check is a trigger per
row, which locks the referenced paper and person once for every authorship (four times per
paper, and each lock a write to the row's page); on a large import that was the biggest single
cost, as it is of PostgreSQL's own ``COPY`` of the same rows (docs/sourcing-arxiv.md).
Set-wise, the batch's rows go in with the triggers off for this transaction only
(``session_replication_role``, as ``pg_restore --disable-triggers`` does), then:

* every person they reference that the batch did not insert itself is locked ``FOR KEY SHARE``
  once, in one statement: the lock the trigger takes;
* the papers are only looked up (an index-only scan), not locked: the batch holds the people
  lock, and a paper's deletion waits for it (migration ``0009``), so none can go before the
  commit, after which the deletion's own check sees the new authorships and fails. Locking
  them was still most of the cost: a chunk of a two-pass import names papers all over the
  table, and it is read again for every chunk.

The guarantee is the trigger's: a referenced row that is gone fails the batch with an
``IntegrityError``, and one deleted later fails its deleter's own check."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, TypeVar

import orjson
import psycopg
from django.conf import settings
from django.db import IntegrityError, connection
from django.utils import timezone

from sourcing.models import Authorship, Paper, PaperRemovals, Person
from sourcing.people.disambiguation import PersonState
from sourcing.people.generation import people_lock
from sourcing.records import PaperRecord

NULL = "\\N"
# COPY text lines, encoded a thousand at a time (``ingest._encoded``).
Payload = list[bytes]
_F = TypeVar("_F", bound=Callable[..., Any])


def text(value: str) -> str:
    """A string as a COPY text field: backslash and the row/field separators escaped."""
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def json_text(value: Any) -> str:
    return json_copy(orjson.dumps(value).decode())


def json_copy(document: str) -> str:
    """JSON text as a COPY text field. JSON has no raw control characters (they are escaped
    inside strings), so only its backslashes need doubling."""
    return document.replace("\\", "\\\\") if "\\" in document else document


_WHEN: dict[dt.datetime, str] = {}
_WHEN_MAX = 10_000


def _when(value: dt.datetime | None) -> str:
    # Kept per value: formatting costs more than the look-up, and dates recur (a day's papers).
    if value is None:
        return NULL
    formatted = _WHEN.get(value)
    if formatted is None:
        if len(_WHEN) >= _WHEN_MAX:
            _WHEN.clear()
        formatted = _WHEN[value] = value.isoformat()
    return formatted


def _number(value: int | None) -> str:
    return NULL if value is None else str(value)


def django_errors(function: _F) -> _F:
    """Raise psycopg's errors as Django's (``IntegrityError``, ``OperationalError``...), as a
    Django cursor would."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with connection.wrap_database_errors:
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def raw_cursor() -> Any:
    connection.ensure_connection()
    return connection.connection.cursor()


def _copy(cursor: Any, table: str, columns: Sequence[str], chunks: Payload) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for chunk in chunks:
            copy.write(chunk)


def _temp_like(cursor: Any, temp: str, model: Any, columns: Sequence[str]) -> None:
    """A temporary table with these columns' types and no constraints (dropped on commit, or
    here when the caller's transaction is still open from an earlier batch)."""
    cursor.execute(
        f"DROP TABLE IF EXISTS {temp}; "  # noqa: S608 - fixed identifiers
        f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS "
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
# Written for a new paper only; the GitHub-maintained columns are never touched afterwards.
_PAPER_WRITE_COLUMNS = [
    "id",
    *PAPER_COLUMNS,
    "reimplementation_count",
    "has_official_code",
    "created_at",
    "updated_at",
]


def paper_line(p: PaperRecord, paper_id: int, tail: str) -> str:
    """``tail``: the constant columns after ``doi`` (see ``paper_tail``)."""
    return (
        f"{paper_id}\t{text(p.arxiv_id)}\t{p.latest_version}\t{text(p.title)}\t"
        f"{text(p.abstract)}\t{json_text(p.categories)}\t{text(p.primary_category)}\t"
        f"{_when(p.published)}\t{_when(p.updated)}\t{text(p.comment)}\t"
        f"{text(p.journal_ref)}\t{text(p.doi[:255])}{tail}"
    )


def paper_tail(now: str) -> str:
    return f"\t0\tf\t{now}\t{now}\n"


@django_errors
def paper_ids(arxiv_ids: Sequence[str]) -> dict[str, int]:
    """The ids of the papers already stored, by arXiv id."""
    cursor = raw_cursor()
    cursor.execute(
        f"SELECT arxiv_id, id FROM {Paper._meta.db_table} WHERE arxiv_id = ANY(%s)",  # noqa: S608
        [list(arxiv_ids)],
    )
    return dict(cursor.fetchall())


_SEQUENCES: dict[str, str] = {}


@django_errors
def reserve_ids(model: Any, count: int) -> list[int]:
    """``count`` ids from the table's identity sequence, so rows can be referenced (and their
    COPY lines written) before they are inserted. Sequences are not transactional: ids of a
    batch that rolls back are simply never used."""
    if not count:
        return []
    cursor = raw_cursor()
    table = model._meta.db_table
    if table not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        _SEQUENCES[table] = cursor.fetchone()[0]
    # The sequence named once, not per row: looking it up per row cost five times the nextval.
    cursor.execute(
        "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
        [_SEQUENCES[table], count],
    )
    ids: list[int] = cursor.fetchone()[0]
    return ids


def _insert_papers(cursor: Any, lines: Payload) -> None:
    _copy(cursor, Paper._meta.db_table, _PAPER_WRITE_COLUMNS, lines)


def _upsert_papers(cursor: Any, lines: Payload) -> None:
    """Papers found stored when the batch was planned: updated by arXiv id (inserted again with
    their planned id should one have been deleted since)."""
    _temp_like(cursor, "tmp_paper", Paper, _PAPER_WRITE_COLUMNS)
    _copy(cursor, "tmp_paper", _PAPER_WRITE_COLUMNS, lines)
    columns = ", ".join(_PAPER_WRITE_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*PAPER_COLUMNS[1:], "updated_at"])
    cursor.execute(
        f"INSERT INTO {Paper._meta.db_table} ({columns}) "  # noqa: S608 - fixed identifiers
        f"SELECT {columns} FROM tmp_paper ON CONFLICT (arxiv_id) DO UPDATE SET {updates}"
    )


@django_errors
def existing_authorships(paper_ids: Sequence[int]) -> list[tuple[int, int, int, str, float]]:
    """``(paper, position, person, name, confidence)`` of these papers' authorships."""
    cursor = raw_cursor()
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
# What an import can change about a stored person: never its blocking key (``name_key``).
_SCALAR_COLUMNS = [c for c in PERSON_COLUMNS if c not in (*_EVIDENCE_COLUMNS, "name_key")]
_STATE_COLUMNS = ["id", "display_name", "name_key", "full_key", "confidence"]


@django_errors
def live_people_by_keys(keys: Sequence[str]) -> list[PersonState]:
    """Live (not merged) people with these ``name_key`` values, in the model's order, as
    disambiguation states. Name forms travel as JSON text (kept as is by the state); the other
    three evidence columns as one JSON array per row: per-column decoding costs more than the
    query."""
    return _live_people("name_key = ANY(%s)", [list(keys)])


@django_errors
def live_people_in_range(after: str, last: str) -> list[PersonState]:
    """``live_people_by_keys`` for every key in (``after``, ``last``]: one range of the key's
    index, where thousands of keys cost thousands of descents of it (a two-pass import reads
    its chunks' people so, in key order)."""
    return _live_people("name_key > %s AND name_key <= %s", [after, last])


def _live_people(where: str, params: list[Any]) -> list[PersonState]:
    cursor = raw_cursor()
    cursor.execute(
        f"SELECT {', '.join(_STATE_COLUMNS)}, first_year, last_year, name_forms::text, "  # noqa: S608
        "json_build_array(affiliations, category_groups, coauthor_keys)::text "
        f"FROM {Person._meta.db_table} "
        f"WHERE {where} AND merged_into_id IS NULL ORDER BY display_name, id",
        params,
    )
    people = []
    intern = sys.intern
    for pk, display, key, full, confidence, first, last, forms, evidence in cursor:
        affiliations, groups, coauthors = orjson.loads(evidence)
        people.append(
            PersonState(
                pk=pk,
                display_name=display,
                name_key=intern(key),
                full_key=full,
                confidence=confidence,
                first_year=first,
                last_year=last,
                name_forms_json=forms,
                affiliations=affiliations,
                category_groups=groups,
                coauthor_keys=coauthors,
            )
        )
    return people


def person_line(p: PersonState, tail: str) -> str:
    return (
        f"{p.pk}\t{text(p.display_name)}\t{text(p.name_key)}\t{text(p.full_key)}\t"
        f"{json_copy(p.name_forms_json)}\t{p.confidence!r}\t{json_text(p.category_groups)}\t"
        f"{json_text(p.affiliation_names)}\t{json_text(p.coauthor_keys)}\t"
        f"{_number(p.first_year)}\t{_number(p.last_year)}{tail}"
    )


def person_tail(now: str) -> str:
    return f"\t{now}\t{now}\n"


def _insert_people(cursor: Any, lines: Payload) -> None:
    """New people, with ids reserved beforehand (``reserve_ids``)."""
    _copy(
        cursor,
        Person._meta.db_table,
        ["id", *PERSON_COLUMNS, "created_at", "updated_at"],
        lines,
    )


def evidence_line(p: PersonState) -> str:
    # One JSON array: the name forms' stored text, then the other three columns.
    rest = orjson.dumps((p.affiliation_names, p.groups, p.coauthors)).decode()
    return (
        f"{p.pk}\t{text(p.display_name)}\t{text(p.full_key)}\t{p.confidence!r}\t"
        f"{_number(p.first_year)}\t{_number(p.last_year)}\t"
        f"{json_copy(f'[{p.name_forms_json},{rest[1:]}')}\n"
    )


def _update_people(cursor: Any, lines: Payload) -> None:
    """The four evidence columns travel as one JSON array per person (``evidence_line``), split
    apart in SQL: a batch rewrites thousands of people, and encoding one document instead of
    four halves the Python side of it."""
    table = Person._meta.db_table
    cursor.execute(
        "DROP TABLE IF EXISTS tmp_person; "  # noqa: S608 - fixed identifiers
        "CREATE TEMP TABLE tmp_person ON COMMIT DROP AS "
        f"SELECT id, {', '.join(_SCALAR_COLUMNS)}, name_forms AS evidence FROM {table} "
        "WITH NO DATA"
    )
    _copy(cursor, "tmp_person", ["id", *_SCALAR_COLUMNS, "evidence"], lines)
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


def authorship_line(  # noqa: PLR0917  # positional: called per row of an import
    paper_id: int, person_id: int, position: int, is_last: bool, name: str, aff: str, score: float
) -> str:
    return (
        f"{paper_id}\t{person_id}\t{position}\t{'t' if is_last else 'f'}\t{text(name[:300])}\t"
        f"{text(aff[:500])}\t{score!r}\n"
    )


def bigint_array(ids: Iterable[int]) -> str:
    """Ids as a PostgreSQL array literal: psycopg adapts a list of ints element by element, in
    Python; a literal is one string, cast (``%s::bigint[]``) by the server."""
    return "{" + ",".join(map(str, ids)) + "}"


@dataclass
class StagedAuthorships:
    """Authorships whose fields wait in a staging table (a two-pass import's,
    ``sourcing.store.keyed``): the rows with keys in (``after``, ``last``], joined by their
    sequence number with who each mention was found to be and how sure (array literals, in
    the same order); ``upserts``: some of them are of papers stored before the run."""

    table: str
    after: str
    last: str
    seqs: str
    people: str
    scores: str
    upserts: bool = False


def _insert_staged_authorships(cursor: Any, staged: StagedAuthorships) -> None:
    """Read where they are staged rather than formatted as COPY text in Python and parsed again
    here: that formatting was a fifth of the second pass's Python. Inserted in paper order, as
    COPY was, for the index's sake."""
    columns = ", ".join(AUTHORSHIP_COLUMNS)
    select = (
        "SELECT s.paper_id, d.person_id, s.position, s.is_last, left(s.raw, 300), "  # noqa: S608 - fixed identifiers
        "left(s.affiliation, 500), d.score "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::float8[]) AS d (seq, person_id, score) "
        f"JOIN {staged.table} AS s ON s.seq = d.seq "
        "WHERE s.name_key > %s AND s.name_key <= %s AND {which} ORDER BY s.paper_id, s.position"
    )
    params = [staged.seqs, staged.people, staged.scores, staged.after, staged.last]
    table = Authorship._meta.db_table
    cursor.execute(
        f"INSERT INTO {table} ({columns}) {select.format(which='NOT s.upsert')}",
        params,
    )
    if staged.upserts:
        updates = ", ".join(
            f"{c} = EXCLUDED.{c}" for c in AUTHORSHIP_COLUMNS if c not in ("paper_id", "position")
        )
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select.format(which='s.upsert')} "
            f"ON CONFLICT (paper_id, position) DO UPDATE SET {updates}",
            params,
        )


def _upsert_authorships(cursor: Any, lines: Payload) -> None:
    """Authorships of papers that were stored already: upsert on ``(paper, position)``."""
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


def _delete_positions(cursor: Any, stale: Sequence[tuple[int, int]]) -> None:
    papers, positions = zip(*stale, strict=True)
    cursor.execute(
        f"DELETE FROM {Authorship._meta.db_table} "  # noqa: S608 - fixed identifiers
        "WHERE (paper_id, position) IN "
        "(SELECT * FROM unnest(%s::bigint[], %s::smallint[]))",
        [list(papers), list(positions)],
    )


@dataclass
class BatchWrites:
    """A planned batch as COPY text, ready to write: built from the people as they stood when
    the batch was decided, so writing it (possibly in another thread, while the next batch is
    being decided) reads nothing that may change meanwhile.

    Rows of papers that were new when planned are COPYed straight into their tables (no
    temporary table, no conflict handling): the planner reserved their ids, and the people lock
    plus the people generation guarantee nobody else inserted them meanwhile (a unique
    violation would roll the batch back whole all the same)."""

    # Encoded by the planner: the writer thread then only sends bytes, holding the GIL less.
    new_papers: Payload = field(default_factory=list)
    stored_papers: Payload = field(default_factory=list)
    new_people: Payload = field(default_factory=list)
    changed_people: Payload = field(default_factory=list)
    new_authorships: Payload = field(default_factory=list)  # of new papers
    stored_authorships: Payload = field(default_factory=list)  # of stored papers: upserted
    stale_positions: list[tuple[int, int]] = field(default_factory=list)
    staged_authorships: StagedAuthorships | None = None  # of new or stored papers
    # What the authorships reference that this write does not insert itself (stored papers and
    # people, ids sorted and distinct): what the set-wise foreign-key check looks at (``write``).
    referenced_papers: list[int] = field(default_factory=list)
    referenced_people: list[int] = field(default_factory=list)
    # The paper removals counted when every referenced paper was known to be there (a two-pass
    # run's, read before its first pass): while the count has not moved, none is looked up.
    papers_removed: int | None = None


@django_errors
def write(writes: BatchWrites) -> None:
    """Apply a planned batch inside the caller's transaction. Order matters for the deferred
    foreign keys only at commit, but papers and people go first all the same."""
    cursor = raw_cursor()
    if writes.new_papers:
        _insert_papers(cursor, writes.new_papers)
    if writes.stored_papers:
        _upsert_papers(cursor, writes.stored_papers)
    # Set-wise or per row: the new people (their own foreign keys are not among the columns
    # written: null) and the authorships are the rows whose keys are checked.
    setwise = _key_checks(cursor)
    if setwise:
        # Normally held already by the caller; what keeps the papers from going (below).
        people_lock()
    if writes.new_people:
        _insert_people(cursor, writes.new_people)
    if writes.new_authorships:
        _copy(cursor, Authorship._meta.db_table, AUTHORSHIP_COLUMNS, writes.new_authorships)
    if writes.stored_authorships:
        _upsert_authorships(cursor, writes.stored_authorships)
    if writes.staged_authorships is not None:
        _insert_staged_authorships(cursor, writes.staged_authorships)
    if setwise:
        cursor.execute("SET LOCAL session_replication_role = origin")
        if not _papers_kept(cursor, writes.papers_removed):
            _referenced(cursor, Paper, writes.referenced_papers, lock=False)
        _referenced(cursor, Person, writes.referenced_people, lock=True)
    else:
        # The foreign keys are deferred to the commit; checked here instead (same cost), a
        # missing paper or person fails this call, where the caller can tell it from a failing
        # commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")
    if writes.stale_positions:
        _delete_positions(cursor, writes.stale_positions)
    # Rewritten after the checks, which then look people up in rows without a newer version
    # (measured: the checks took a tenth less). Their ids do not change, so nothing to check.
    if writes.changed_people:
        _update_people(cursor, writes.changed_people)


# Whether the role may turn triggers off for its transaction, per database: asked once.
_SETWISE_ALLOWED: dict[tuple[str, str, str, str], bool] = {}


def _key_checks(cursor: Any) -> bool:
    """Turn PostgreSQL's per-row foreign-key triggers off for the rest of this transaction's
    writes, where allowed (``SOURCING_SETWISE_FOREIGN_KEYS`` and a role that may set
    ``session_replication_role``: a superuser, or one granted it); ``False`` leaves them on.
    The caller turns them back on and checks what the rows reference (``_referenced``)."""
    if not settings.SOURCING_SETWISE_FOREIGN_KEYS:
        return False
    db = connection.settings_dict
    key = (str(db["HOST"]), str(db["PORT"]), str(db["NAME"]), str(db["USER"]))
    allowed = _SETWISE_ALLOWED.get(key)
    if allowed is None:  # the first batch asks, under a savepoint so that a refusal costs nothing
        cursor.execute("SAVEPOINT hirebar_key_checks")
        try:
            cursor.execute("SET LOCAL session_replication_role = replica")
            allowed = True
        except psycopg.errors.InsufficientPrivilege:
            cursor.execute("ROLLBACK TO SAVEPOINT hirebar_key_checks")
            allowed = False
        cursor.execute("RELEASE SAVEPOINT hirebar_key_checks")
        _SETWISE_ALLOWED[key] = allowed
    elif allowed:
        cursor.execute("SET LOCAL session_replication_role = replica")
    return allowed


def paper_removals() -> int | None:
    """The paper removals counted so far (``PaperRemovals``); ``None`` where they are not
    counted (not PostgreSQL, or the counter's row is gone)."""
    if connection.vendor != "postgresql":
        return None
    return _paper_removals(raw_cursor())


def _paper_removals(cursor: Any) -> int | None:
    cursor.execute(f"SELECT value FROM {PaperRemovals._meta.db_table} WHERE id = 1")  # noqa: S608
    row = cursor.fetchone()
    return None if row is None else int(row[0])


def _papers_kept(cursor: Any, removed: int | None) -> bool:
    """Whether no paper can have gone since the removals counted ``removed``: the count has not
    moved. The caller holds the people lock, which every removal waits for before it counts,
    so one that committed before the lock was taken is counted here, and none can come until
    the caller's commit."""
    return removed is not None and _paper_removals(cursor) == removed


def _referenced(cursor: Any, model: Any, ids: Sequence[int], *, lock: bool) -> None:
    """That these rows exist, each looked at once, and locked ``FOR KEY SHARE`` (what a
    foreign-key trigger does for each referencing row) when ``lock``; one that is gone fails
    the batch as the trigger would have."""
    if not ids:
        return
    table = model._meta.db_table
    cursor.execute(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE id = ANY(%s::bigint[]) "  # noqa: S608
        f"{'FOR KEY SHARE' if lock else ''}) AS found",
        [bigint_array(ids)],
    )
    found: int = cursor.fetchone()[0]
    if found != len(ids):
        raise IntegrityError(
            f"{len(ids) - found} of the {len(ids)} {model._meta.verbose_name_plural} these "
            f"authorships reference are not in {table} (deleted meanwhile)"
        )


# The pieces a two-pass snapshot import (``sourcing.store.keyed``) writes with, on its cursor.


def encoded(lines: Iterable[str]) -> Payload:
    """COPY lines as a few encoded chunks, never the whole payload as text and as bytes at once."""
    chunks = []
    lines = iter(lines)
    while chunk := list(islice(lines, 1000)):
        chunks.append("".join(chunk).encode())
    return chunks


def copy_lines(cursor: Any, table: str, columns: Sequence[str], lines: Iterable[str]) -> None:
    _copy(cursor, table, columns, encoded(lines))


def copy_encoded(cursor: Any, table: str, columns: Sequence[str], payload: Payload) -> None:
    _copy(cursor, table, columns, payload)


def insert_encoded_papers(cursor: Any, payload: Payload) -> None:
    _insert_papers(cursor, payload)


def insert_papers(cursor: Any, lines: Iterable[str]) -> None:
    _insert_papers(cursor, encoded(lines))


def upsert_papers(cursor: Any, lines: Iterable[str]) -> None:
    _upsert_papers(cursor, encoded(lines))


def insert_people(cursor: Any, lines: Iterable[str]) -> None:
    _insert_people(cursor, encoded(lines))


def update_people(cursor: Any, lines: Iterable[str]) -> None:
    _update_people(cursor, encoded(lines))


def upsert_authorships(cursor: Any, lines: Iterable[str]) -> None:
    _upsert_authorships(cursor, encoded(lines))


def delete_positions(cursor: Any, positions: Sequence[tuple[int, int]]) -> None:
    _delete_positions(cursor, positions)
