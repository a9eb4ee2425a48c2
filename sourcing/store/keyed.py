"""A snapshot import in two passes (PostgreSQL): papers and their raw author mentions first, then
people one blocking key at a time, so each group of people is read once.

Why: deciding batch by batch in file order, every batch needs every person sharing a blocking
key with its authors. Those groups grow with the corpus (a few surnames are shared by a tenth of
all authors), so a bounded cache keeps evicting and re-reading them, and an import's cost per
record grew with its size (docs/sourcing-arxiv.md). A mention's decision depends only on the
people of its own key and on the earlier mentions of that key, so deciding key by key, each
key's mentions in file order, decides exactly what file order decides.

1. ``stage_batch`` (one transaction per batch of the file, with the run's checkpoint): papers
   are upserted as before, and each author mention is COPYed into the run's staging table with
   everything a decision reads (name parts, affiliation, category group, year, co-author keys)
   and, for a paper already stored, the authorship it had at that position (an authorship under
   the same name keeps its person, as on every path). A batch of new papers only is planned
   ahead (``plan_stage``, no lock, nothing written) and written by a write thread
   (``write_stage``) while the next batch is parsed.
2. ``plan_keys`` then ``write_chunk`` (one transaction per chunk of keys, in key order): the
   chunk's mentions are read in (key, file order), with the stored people of those keys,
   resolved, and people and authorships COPYed once, with their final evidence: no person is
   ever rewritten by the run. A chunk is decided while the one before it is written; one decided
   on people someone else changed meanwhile is decided again under the lock (``decide_chunk``).

The staging table is UNLOGGED (no WAL: it is written once and read once) and dropped when the
run ends; a stopped run's is dropped later (``sourcing.runs.stage_tables``). A server crash
empties it; the run then fails saying so, to be started again (every write is an upsert)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from sourcing.models import Paper, Person
from sourcing.people.blocking import Bucket
from sourcing.people.cache import tie_order
from sourcing.people.categories import category_group
from sourcing.people.disambiguation import Mention, PersonState, Resolver
from sourcing.people.names import NameParts, fold
from sourcing.records import PaperRecord
from sourcing.store import bulk
from sourcing.store.ingest import (
    COAUTHOR_HEAD,
    COAUTHOR_TAIL,
    existing_by_position,
    stale_positions,
    unique_records,
)

NULL = bulk.NULL
_STAGE_COLUMNS = [
    "seq",
    "paper_id",
    "position",
    "is_last",
    "upsert",
    "name_key",
    "display",
    "full_key",
    "initials",
    "raw",
    "affiliation",
    "grp",
    "year",
    "coauthors",
    "known_person",
    "known_name",
    "known_score",
    "known_seq",
]
_KEY_CHUNK = 5000


def stage_table(run_id: int) -> str:
    return f"sourcing_stage_{int(run_id)}"


@bulk.django_errors
def stage_create(run_id: int) -> None:
    """The run's staging table (kept when it exists: a resumed run continues filling it)."""
    table = stage_table(run_id)
    bulk.raw_cursor().execute(
        f"CREATE UNLOGGED TABLE IF NOT EXISTS {table} ("
        "seq bigint NOT NULL, paper_id bigint NOT NULL, position smallint NOT NULL, "
        "is_last boolean NOT NULL, upsert boolean NOT NULL, final boolean NOT NULL DEFAULT true, "
        "name_key text NOT NULL, display text NOT NULL, full_key text NOT NULL, "
        "initials text NOT NULL, raw text NOT NULL, affiliation text NOT NULL, "
        "grp text NOT NULL, year integer, coauthors text NOT NULL, known_person bigint, "
        "known_name text, known_score double precision, known_seq bigint)"
    )


@bulk.django_errors
def stage_count(run_id: int) -> int | None:
    """Mentions staged so far; ``None`` when the table is gone (a server crash empties an
    unlogged table; a dropped one is gone)."""
    cursor = bulk.raw_cursor()
    cursor.execute("SELECT to_regclass(%s)", [stage_table(run_id)])
    if cursor.fetchone()[0] is None:
        return None
    cursor.execute(f"SELECT count(*) FROM {stage_table(run_id)}")  # noqa: S608 - our own name
    count: int = cursor.fetchone()[0]
    return count


@bulk.django_errors
def stage_index(run_id: int, *, ranks: bool) -> None:
    """Once the first pass is done: the staged rows written again in (key, file order), the
    order the second pass reads them in, and indexed so. Read by key, rows staged in file order
    lie all over a table that outgrows shared buffers: each chunk's read went from page to page
    (23 of an 800,000-record import's 150 s). Written sorted (``CREATE TABLE ... AS ... ORDER
    BY``), a chunk is a few consecutive pages; measured on 2.9 million such rows, 4.3 s against
    12.8 s for the index and ``CLUSTER`` it replaces. One transaction: a crash leaves the table
    as the first pass left it, and doing it again (a run resumed before the second pass began)
    gives the same table. ``ranks``: the run ranks its first authors (pass 3), which reads
    them by an index of their own.

    Statistics are gathered only for the columns the later passes filter, join and order on:
    the planner needs them for the key ranges and the join by mention number, and the text
    columns cost ANALYZE most of its time (at 100,000 records 75 ms, against 160-330 ms)."""
    table = stage_table(run_id)
    with transaction.atomic():
        cursor = bulk.raw_cursor()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(f"DROP TABLE IF EXISTS {table}_sorted")
        cursor.execute(
            f"CREATE UNLOGGED TABLE {table}_sorted AS "  # noqa: S608 - our own names
            f"SELECT * FROM {table} ORDER BY name_key, seq"
        )
        # Its indexes (the look-up by paper, needed only while staging) go with it.
        cursor.execute(f"DROP TABLE {table}")
        cursor.execute(f"ALTER TABLE {table}_sorted RENAME TO {table}")
        cursor.execute(f"CREATE INDEX {table}_key ON {table} (name_key, seq)")
        if ranks:
            cursor.execute(
                f"CREATE INDEX {table}_first ON {table} (seq) WHERE position = 0 AND final"
            )
        cursor.execute(f"ANALYZE {table} (name_key, seq, position, final)")


@bulk.django_errors
def papers_vacuum() -> None:
    """Mark the papers just written visible to all (``VACUUM``, outside a transaction), so
    that the second pass's look-ups of them (``bulk.write``) read the index alone, not pages
    all over the table. Run on a connection of its own while ``stage_index`` runs."""
    if not connection.in_atomic_block:
        bulk.raw_cursor().execute(f"VACUUM {Paper._meta.db_table}")


@bulk.django_errors
def stage_runs() -> list[int]:
    """The runs that have a staging table, by id."""
    cursor = bulk.raw_cursor()
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename ~ '^sourcing_stage_[0-9]+$'"
    )
    return sorted(int(name.rsplit("_", 1)[1]) for (name,) in cursor.fetchall())


@bulk.django_errors
def stage_drop(run_id: int) -> None:
    bulk.raw_cursor().execute(f"DROP TABLE IF EXISTS {stage_table(run_id)}")


@dataclass
class Staged:
    papers: int = 0
    mentions: int = 0


def _known(value: Any) -> str:
    return NULL if value is None else str(value)


def _write_papers(
    cursor: Any,
    unique: Sequence[PaperRecord],
    paper_ids: dict[str, int],
    stored: dict[str, int],
) -> None:
    """New papers COPYed with their reserved ids, stored ones upserted (``bulk``)."""
    tail = bulk.paper_tail(timezone.now().isoformat())
    line = bulk.paper_line
    new = [line(r, paper_ids[r.arxiv_id], tail) for r in unique if r.arxiv_id not in stored]
    if new:
        bulk.insert_papers(cursor, new)
    if stored:
        bulk.upsert_papers(
            cursor, [line(r, stored[r.arxiv_id], tail) for r in unique if r.arxiv_id in stored]
        )


@bulk.django_errors
def stage_batch(records: Sequence[PaperRecord], *, run_id: int, seq: int) -> Staged:
    """Pass 1 for one batch, inside the caller's transaction (which holds the people lock):
    upsert the papers, delete stored authorships at positions the batch removes, and stage
    every author mention, numbered from ``seq`` in file order."""
    unique = unique_records(records)
    if not unique:
        return Staged()
    table = stage_table(run_id)
    cursor = bulk.raw_cursor()
    stored = bulk.paper_ids([r.arxiv_id for r in unique])
    paper_ids = _with_new_ids(unique, stored)
    # A stored paper staged earlier in this run: what its authorships will be is that earlier
    # mention's (decided in pass 2), which this one replaces. Otherwise: the stored rows.
    previous: dict[tuple[int, int], tuple[str, int]] = {}
    existing: dict[tuple[int, int], tuple[int, str, float]] = {}
    if stored:
        ids = sorted(stored.values())
        # Built on the first batch that needs it: a first import (nearly every batch new)
        # never does, and kept up row by row it cost PostgreSQL ~1.5 us a mention staged.
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_paper ON {table} (paper_id)")
        cursor.execute(
            f"UPDATE {table} SET final = false WHERE final AND paper_id = ANY(%s) "  # noqa: S608
            "RETURNING paper_id, position, raw, seq",
            [ids],
        )
        previous = {(p, position): (raw, s) for p, position, raw, s in cursor.fetchall()}
        existing = existing_by_position(ids)
    _write_papers(cursor, unique, paper_ids, stored)
    stale = stale_positions(unique, paper_ids, existing)
    if stale:
        bulk.delete_positions(cursor, stale)
    lines = _stage_lines(unique, paper_ids, stored, previous, existing, seq)
    bulk.copy_lines(cursor, table, _STAGE_COLUMNS, lines)
    return Staged(papers=len(unique), mentions=len(lines))


@dataclass
class StagePlan:
    """A batch of new papers staged in advance (``plan_stage``): their rows and their mentions'
    as encoded COPY text, ids reserved; a write thread only sends bytes."""

    arxiv_ids: frozenset[str] = frozenset()
    staged: Staged = field(default_factory=Staged)
    papers: bulk.Payload = field(default_factory=list)
    mentions: bulk.Payload = field(default_factory=list)


@bulk.django_errors
def plan_stage(records: Sequence[PaperRecord], *, seq: int, look: bool = True) -> StagePlan | None:
    """Pass 1 for a batch whose papers are all new (a first import: nearly every batch), decided
    without writing or locking, so that it can be done while the batch ahead is written.
    ``None`` when some paper is stored already: what is staged then depends on its stored
    authorships, read under the lock (``stage_batch``). Writing it (``write_stage``) fails on
    the unique arXiv id if one of the papers is stored, by someone else meanwhile or before the
    batch was planned without ``look``ing (the caller's bet that none is)."""
    unique = unique_records(records)
    if not unique:
        return StagePlan()
    if look and bulk.paper_ids([r.arxiv_id for r in unique]):
        return None
    paper_ids = _with_new_ids(unique, {})
    tail = bulk.paper_tail(timezone.now().isoformat())
    papers = bulk.encoded(bulk.paper_line(r, paper_ids[r.arxiv_id], tail) for r in unique)
    lines = _stage_lines(unique, paper_ids, {}, {}, {}, seq)
    return StagePlan(
        arxiv_ids=frozenset(paper_ids),
        staged=Staged(papers=len(unique), mentions=len(lines)),
        papers=papers,
        mentions=bulk.encoded(lines),
    )


@bulk.django_errors
def write_stage(plan: StagePlan, *, run_id: int) -> None:
    """Write a planned batch (``plan_stage``) inside the caller's transaction."""
    cursor = bulk.raw_cursor()
    if plan.papers:
        bulk.insert_encoded_papers(cursor, plan.papers)
    if plan.mentions:
        bulk.copy_encoded(cursor, stage_table(run_id), _STAGE_COLUMNS, plan.mentions)


def _with_new_ids(unique: Sequence[PaperRecord], stored: dict[str, int]) -> dict[str, int]:
    """Paper ids by arXiv id: the stored ones, and ids reserved for the new ones."""
    new = [r.arxiv_id for r in unique if r.arxiv_id not in stored]
    paper_ids = dict(stored)
    paper_ids.update(zip(new, bulk.reserve_ids(Paper, len(new)), strict=True))
    return paper_ids


# A name's staged fields, by (raw, affiliation), with the parts they were made from, for names
# that do not keep their own (``_name_fields``). Bounded by clearing.
_NAME_FIELDS: dict[tuple[str, str], tuple[NameParts, str]] = {}
_NAME_FIELDS_MAX = 1 << 16
_UNKNOWN = f"\t{NULL}\t{NULL}\t{NULL}\t{NULL}\n"  # no stored or earlier authorship


def name_fields_clear() -> None:
    _NAME_FIELDS.clear()


def _name_fields(raw: str, parts: NameParts, affiliation: str) -> str:
    """The staged name fields of a mention. The same names recur across a snapshot's batches,
    and escaping five fields per mention was a fifth of pass 1's Python time. The snapshot
    reader's names (raw as displayed, no affiliation: nearly all of a snapshot's) keep theirs
    on their parts, which its cache shares per name (``snapshot._author``): no look-up, and no
    second cache to miss. Kept in a dictionary of its own before, at 800,000 records it cost
    1.9 us a record, a third of it in misses."""
    if not affiliation and raw == parts.display:
        fields = parts.staged
        if fields is None:
            fields = parts.staged = _fields(raw, parts, affiliation)
        return fields
    key = (raw, affiliation)
    cached = _NAME_FIELDS.get(key)
    if cached is not None and cached[0] is parts:
        return cached[1]
    fields = _fields(raw, parts, affiliation)
    if len(_NAME_FIELDS) >= _NAME_FIELDS_MAX:
        _NAME_FIELDS.clear()
    _NAME_FIELDS[key] = (parts, fields)
    return fields


def _fields(raw: str, parts: NameParts, affiliation: str) -> str:
    text = bulk.text
    return (
        f"{text(parts.name_key)}\t{text(parts.display)}\t{text(parts.full_key)}"
        f"\t{''.join(parts.initials)}\t{text(raw)}\t{text(affiliation)}"
    )


def _stage_lines(
    unique: Sequence[PaperRecord],
    paper_ids: dict[str, int],
    stored: dict[str, int],
    previous: dict[tuple[int, int], tuple[str, int]],
    existing: dict[tuple[int, int], tuple[int, str, float]],
    seq: int,
) -> list[str]:
    """Every author mention of ``unique`` as a staging row, numbered from ``seq``."""
    lines: list[str] = []
    text = bulk.text
    groups: dict[str, str] = {}
    known = bool(previous or existing)
    for record in unique:
        paper_id = paper_ids[record.arxiv_id]
        upsert = "t" if record.arxiv_id in stored else "f"
        year = _known(record.published.year if record.published else None)
        primary = record.primary_category or next(iter(record.categories), "")
        group = groups.get(primary) or groups.setdefault(primary, text(category_group(primary)))
        authors = record.authors
        window = (
            authors
            if len(authors) <= COAUTHOR_HEAD + COAUTHOR_TAIL
            else authors[:COAUTHOR_HEAD] + authors[-COAUTHOR_TAIL:]
        )
        window_keys = {a.parts.name_key for a in window if a.raw}
        last = len(authors) - 1
        for position, author in enumerate(authors):
            if not author.raw:
                continue  # an erased slot (``AuthorRecord.erased``)
            parts = author.parts
            tail = _UNKNOWN
            if known:
                tail = _known_fields(
                    previous.get((paper_id, position)), existing.get((paper_id, position))
                )
            coauthors = " ".join(window_keys - {parts.name_key})
            is_last = "t" if position == last and position > 0 else "f"
            lines.append(
                f"{seq}\t{paper_id}\t{position}\t{is_last}\t{upsert}"
                f"\t{_name_fields(author.raw, parts, author.affiliation)}"
                f"\t{group}\t{year}\t{text(coauthors)}{tail}"
            )
            seq += 1
    return lines


def _known_fields(earlier: tuple[str, int] | None, stored: tuple[int, str, float] | None) -> str:
    """The staged ``known_*`` fields (and the line's end): the mention this run staged earlier
    at the same position, else the authorship stored there."""
    known_person = known_name = known_score = known_seq = None
    if earlier is not None:
        known_name, known_seq = earlier
    elif stored is not None:
        known_person, known_name, known_score = stored
    name = NULL if known_name is None else bulk.text(known_name)
    return f"\t{_known(known_person)}\t{name}\t{_known(known_score)}\t{_known(known_seq)}\n"


class _Staged(NamedTuple):
    seq: int
    paper_id: int
    position: int
    is_last: bool
    upsert: bool
    final: bool
    name_key: str
    display: str
    full_key: str
    initials: str
    raw: str
    affiliation: str
    grp: str
    year: int | None
    coauthors: str
    known_person: int | None
    known_name: str | None
    known_score: float | None
    known_seq: int | None


@dataclass
class Decided:
    mentions: int = 0
    new_people: int = 0
    last_key: str = ""
    first_authors: dict[int, int] = field(default_factory=dict)  # paper id -> person id


def _parts(row: _Staged, cache: dict[tuple[str, str, str], NameParts]) -> NameParts:
    key = (row.display, row.name_key, row.full_key)
    parts = cache.get(key)
    if parts is None:
        parts = cache[key] = NameParts.known(
            display=row.display,
            name_key=row.name_key,
            full_key=row.full_key,
            initials=tuple(row.initials),
        )
    return parts


def _people(
    keys: Sequence[str], known: Iterable[int], *, after: str
) -> tuple[dict[str, Bucket[PersonState]], dict[int, PersonState]]:
    """The live people of ``keys`` (sorted, all after ``after``), grouped in tie order, and by
    id with the stored authorships' people (``known``, live or not, as ``ingest`` reads them)."""
    groups: dict[str, list[PersonState]] = {key: [] for key in keys}
    # The chunk's whole range of keys at once; people of keys with no mention in it are left.
    for state in bulk.live_people_in_range(after, keys[-1]):
        group = groups.get(state.name_key)
        if group is not None:
            group.append(state)
    by_id = {s.pk: s for states in groups.values() for s in states if s.pk is not None}
    missing = sorted(set(known) - by_id.keys())
    for start in range(0, len(missing), _KEY_CHUNK):
        for person in Person.objects.filter(pk__in=missing[start : start + _KEY_CHUNK]):
            by_id[person.pk] = PersonState.of(person)
    return {key: Bucket(sorted(s, key=tie_order)) for key, s in groups.items()}, by_id


_COLUMNS = ", ".join(_Staged._fields)


@dataclass
class ChunkPlan:
    """A chunk of keys decided, ready to write (``bulk.BatchWrites``, encoded by the planner): a
    write thread only sends bytes. ``generation``: the people generation it was decided at;
    ``end``: no key comes after ``last_key``."""

    after: str
    last_key: str
    end: bool
    decided: Decided
    writes: bulk.BatchWrites
    generation: int | None = None


def _rows(cursor: Any, run_id: int, *, after: str, until: str | None) -> list[_Staged]:
    """The rows with keys in (``after``, ``until``] (``None``: to the end), in (key, file
    order)."""
    _select_rows(cursor, run_id, after=after, until=until)
    return _fetch_rows(cursor)


def _select_rows(cursor: Any, run_id: int, *, after: str, until: str | None) -> None:
    bound = "" if until is None else "AND name_key <= %s"
    cursor.execute(
        f"SELECT {_COLUMNS} FROM {stage_table(run_id)} "  # noqa: S608 - our own names
        f"WHERE name_key > %s {bound} ORDER BY name_key, seq",
        [after] if until is None else [after, until],
    )


def _fetch_rows(cursor: Any) -> list[_Staged]:
    cursor.row_factory = _staged_row  # one tuple a row, not a row and a copy of it
    rows: list[_Staged] = cursor.fetchall()
    return rows


@dataclass
class SelectedChunk:
    """A chunk's staged rows selected on another thread's connection (``select_chunk``), held
    by the client library until ``rows`` makes them Python tuples on the thread that asks."""

    after: str
    until: str | None
    cursor: Any

    def rows(self) -> list[_Staged]:
        try:
            return _fetch_rows(self.cursor)
        finally:
            self.cursor.close()


@bulk.django_errors
def select_chunk(run_id: int, *, after: str, mentions: int) -> SelectedChunk:
    """The chunk after ``after``: its last key (``chunk_end``), and its rows selected, not yet
    fetched. Pass 2 selects the next chunk on a thread of its own while the deciding thread
    decides this one: PostgreSQL's half of the read (finding the chunk's end, the range scan,
    sending the rows) then overlaps with deciding, and the rows become tuples on the deciding
    thread (made on the other, they held the GIL the deciding thread needed)."""
    until = chunk_end(run_id, after=after, mentions=mentions)
    cursor = bulk.raw_cursor()
    _select_rows(cursor, run_id, after=after, until=until)
    return SelectedChunk(after, until, cursor)


@bulk.django_errors
def chunk_end(run_id: int, *, after: str, mentions: int) -> str | None:
    """The last key of the chunk after ``after``: the key of its ``mentions``-th mention (the
    chunk then holds the rest of that key too: a key is never split), or ``None`` when fewer
    are left (the chunk runs to the end). Known before the chunk is read, so that the chunk
    after it can be decided at the same time (``sourcing.runs.helper``)."""
    cursor = bulk.raw_cursor()
    cursor.execute(
        f"SELECT name_key FROM {stage_table(run_id)} WHERE name_key > %s "  # noqa: S608
        "ORDER BY name_key, seq OFFSET %s LIMIT 1",
        [after, mentions - 1],
    )
    row = cursor.fetchone()
    return None if row is None else str(row[0])


def _staged_row(_cursor: Any) -> Callable[[Sequence[Any]], _Staged]:
    return _Staged._make


@bulk.django_errors
def plan_keys(
    run_id: int, *, after: str, until: str | None, selected: SelectedChunk | None = None
) -> ChunkPlan:
    """Pass 2, deciding: the keys in (``after``, ``until``] (``None``: to the end; a chunk's
    ``until`` is its ``chunk_end``), resolved key by key in file order, on the people stored
    now; nothing is written. ``selected``: that chunk's rows, selected already
    (``select_chunk``). Writing it (``write_chunk``) needs the people as they were: the caller
    compares the generation."""
    if selected is not None:
        rows = selected.rows()
    else:
        rows = _rows(bulk.raw_cursor(), run_id, after=after, until=until)
    return _plan(rows, run_id=run_id, after=after, end=until is None)


@bulk.django_errors
def decide_chunk(
    run_id: int, *, after: str, until: str | None, papers_removed: int | None = None
) -> Decided:
    """Pass 2 for the keys in (``after``, ``until``] (``None``: to the end), inside the
    caller's transaction (which holds the people lock): resolve their mentions key by key in
    file order and write people and authorships (``write_chunk``)."""
    plan = plan_keys(run_id, after=after, until=until)
    if until is not None:
        plan.decided.last_key = until
    write_chunk(plan, papers_removed=papers_removed)
    return plan.decided


def _plan(rows: list[_Staged], *, run_id: int, after: str, end: bool) -> ChunkPlan:
    if not rows:
        return ChunkPlan(after, after, end, Decided(last_key=after), bulk.BatchWrites())
    keys = sorted({row.name_key for row in rows})
    buckets, by_id = _people(
        keys, {r.known_person for r in rows if r.known_person is not None}, after=after
    )
    resolver = Resolver(buckets=buckets)
    resolve = resolver.resolve
    # Who a mention was found to be, kept only for the mentions a later one names as its
    # earlier self (a paper staged twice in the run: ``known_seq``, of the same name, so of
    # this chunk); a first import has none. Kept for every mention, the pairs were ~3 % of the
    # whole snapshot's second pass, with freeing them at the chunk's end.
    wanted = {r.known_seq for r in rows if r.known_seq is not None}
    resolved: dict[int, tuple[PersonState, float]] = {}
    parts_cache: dict[tuple[str, str, str], NameParts] = {}
    coauthor_sets: dict[str, frozenset[str]] = {}
    final = _Final()
    mentions = len(rows)
    # Each row let go once decided, only its authorship's fields kept: a chunk holds the whole
    # of its largest key (~60,000 mentions of `wang|j` in the whole arXiv), and memory is
    # bounded by it.
    rows.reverse()
    while rows:
        row = rows.pop()
        state: PersonState | None = None
        if row.known_name is not None and fold(row.known_name) == fold(row.raw):
            # An authorship under the same name keeps its person (a recruiter's correction).
            if row.known_person is not None and row.known_person in by_id:
                state, score = by_id[row.known_person], row.known_score or 0.0
            elif row.known_seq is not None and row.known_seq in resolved:
                state, score = resolved[row.known_seq]
        if state is None:
            coauthors = coauthor_sets.get(row.coauthors)
            if coauthors is None:
                coauthors = coauthor_sets[row.coauthors] = frozenset(row.coauthors.split())
            state, score = resolve(
                Mention(
                    row.raw,
                    _parts(row, parts_cache),
                    row.affiliation,
                    row.grp,
                    row.year,
                    coauthors,
                )
            )
        if wanted and row.seq in wanted:
            resolved[row.seq] = (state, score)
        if row.final:
            final.add(row, state, score)
    created, changed = resolver.changes()
    for state, reserved in zip(created, bulk.reserve_ids(Person, len(created)), strict=True):
        state.pk = reserved
    decided = Decided(mentions=mentions, new_people=len(created), last_key=keys[-1])
    writes = _writes(created, changed, final, decided, run_id=run_id, after=after)
    return ChunkPlan(after, keys[-1], end, decided, writes)


class _Final:
    """The decided mentions a chunk writes as authorships (its rows still ``final``: not
    replaced by a later mention of the same paper and position in this run), in the order
    decided. Only who each is and how sure travel: the authorship's other fields are in the
    staged row, and are read there (``bulk.StagedAuthorships``). Formatting them as COPY text
    was a fifth of the second pass's Python."""

    def __init__(self) -> None:
        self.seqs: list[int] = []
        self.states: list[PersonState] = []
        self.scores: list[float] = []
        self.papers: set[int] = set()
        self.firsts: list[tuple[int, PersonState]] = []
        self.upserts = False

    def add(self, row: _Staged, state: PersonState, score: float) -> None:
        self.seqs.append(row.seq)
        self.states.append(state)
        self.scores.append(score)
        self.papers.add(row.paper_id)
        if row.position == 0:
            self.firsts.append((row.paper_id, state))
        if row.upsert:
            self.upserts = True

    def ids(self) -> list[int]:
        """The people's ids, in the order decided, once every person has one."""
        ids = [s.pk for s in self.states]
        assert None not in ids  # reserved before
        return ids  # type: ignore[return-value]

    def staged(
        self, ids: list[int], *, run_id: int, after: str, last: str
    ) -> bulk.StagedAuthorships | None:
        if not self.seqs:
            return None
        return bulk.StagedAuthorships(
            table=stage_table(run_id),
            after=after,
            last=last,
            seqs=bulk.bigint_array(self.seqs),
            people=bulk.bigint_array(ids),
            scores="{" + ",".join(map(repr, self.scores)) + "}",
            upserts=self.upserts,
        )


def _writes(
    created: list[PersonState],
    changed: list[PersonState],
    final: _Final,
    decided: Decided,
    *,
    run_id: int,
    after: str,
) -> bulk.BatchWrites:
    person_tail = bulk.person_tail(timezone.now().isoformat())
    for paper_id, state in final.firsts:
        assert state.pk is not None  # reserved above
        decided.first_authors[paper_id] = state.pk
    ids = final.ids()
    # Pass 1 committed every paper; the people this chunk creates are inserted with it.
    stored_people = set(ids)
    stored_people.difference_update(s.pk for s in created)
    return bulk.BatchWrites(
        new_people=bulk.encoded(bulk.person_line(s, person_tail) for s in created),
        changed_people=bulk.encoded(bulk.evidence_line(s) for s in changed),
        staged_authorships=final.staged(ids, run_id=run_id, after=after, last=decided.last_key),
        referenced_papers=sorted(final.papers),
        referenced_people=sorted(stored_people),
    )


def write_chunk(plan: ChunkPlan, *, papers_removed: int | None = None) -> None:
    """Write a decided chunk inside the caller's transaction (which holds the people lock).
    ``papers_removed``: the paper removals counted before the run's first pass (its checkpoint
    keeps the count), so that its papers are looked up only if some paper went since."""
    bulk.write(replace(plan.writes, papers_removed=papers_removed))


@bulk.django_errors
def first_authors_after(run_id: int, *, after: int, limit: int) -> list[tuple[int, int]]:
    """``(seq, paper id)`` of the run's papers' final first-author mentions after ``after``,
    in file order (pass 3: prospects)."""
    cursor = bulk.raw_cursor()
    cursor.execute(
        f"SELECT seq, paper_id FROM {stage_table(run_id)} "  # noqa: S608 - our own name
        "WHERE position = 0 AND final AND seq > %s ORDER BY seq LIMIT %s",
        [after, limit],
    )
    return [(int(s), int(p)) for s, p in cursor.fetchall()]


@bulk.django_errors
def first_author_count(run_id: int) -> int:
    cursor = bulk.raw_cursor()
    cursor.execute(
        f"SELECT count(*) FROM {stage_table(run_id)} WHERE position = 0 AND final"  # noqa: S608
    )
    count: int = cursor.fetchone()[0]
    return count
