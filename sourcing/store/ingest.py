"""Writing one batch of parsed papers: papers, author identities (disambiguated), authorships.

``ingest_batch`` decides and writes a batch in the caller's transaction, which holds the people
lock (``services.sourcing_run_commit_batch``), so the people read are exactly what is committed
and no other batch decides at the same time. On PostgreSQL the two halves are separate:
``plan_batch`` decides (reads, resolves, formats rows) and ``bulk.write`` writes, which lets a
snapshot import decide the next batch while the last one is written (``sourcing.runs.pipeline``).
Everything is keyed on natural keys, so replaying a batch changes nothing."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from sourcing.models import Authorship, Paper, Person
from sourcing.people.cache import PeopleCache
from sourcing.people.categories import category_group
from sourcing.people.disambiguation import Mention, PersonState, Resolver
from sourcing.people.generation import people_generation, people_generation_bump
from sourcing.people.names import fold
from sourcing.records import PaperRecord
from sourcing.store import bulk

# The ORM path (SQLite) updates what the COPY path (PostgreSQL) upserts: every column but the key.
PAPER_UPDATE_FIELDS = [*bulk.PAPER_COLUMNS[1:], "updated_at"]
PERSON_UPDATE_FIELDS = [
    "display_name",
    "full_key",
    "name_forms",
    "confidence",
    "category_groups",
    "affiliations",
    "coauthor_keys",
    "first_year",
    "last_year",
    "updated_at",
]
# Hyper-authored papers (physics collaborations list thousands) would make co-author evidence
# quadratic; the leading and closing authors carry the signal.
COAUTHOR_HEAD = 20
COAUTHOR_TAIL = 5
_KEY_CHUNK = 5000
_T = TypeVar("_T")  # SQLite caps bound variables per statement


# paper id, position, person, name as written, affiliation, match confidence, is last author
_Row = tuple[int, int, PersonState, str, str, float, bool]


@dataclass
class BatchOutcome:
    papers: int = 0
    new_people: int = 0
    paper_ids: dict[str, int] = field(default_factory=dict)
    first_authors: dict[int, int] = field(default_factory=dict)  # paper id -> person id
    last_authors: dict[int, int] = field(default_factory=dict)


def _paper(record: PaperRecord) -> Paper:
    return Paper(
        arxiv_id=record.arxiv_id,
        latest_version=record.latest_version,
        title=record.title,
        abstract=record.abstract,
        categories=record.categories,
        primary_category=record.primary_category,
        published=record.published,
        updated=record.updated,
        comment=record.comment,
        journal_ref=record.journal_ref,
        doi=record.doi[:255],
    )


def _chunks(items: Sequence[_T], size: int) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert_papers(records: Sequence[PaperRecord]) -> dict[str, int]:
    """The ORM path (SQLite)."""
    papers = [_paper(r) for r in records]
    Paper.objects.bulk_create(
        papers,
        update_conflicts=True,
        unique_fields=["arxiv_id"],
        update_fields=PAPER_UPDATE_FIELDS,
        batch_size=1000,
    )
    if all(p.pk for p in papers):
        return {p.arxiv_id: p.pk for p in papers}
    ids = [r.arxiv_id for r in records]
    return dict(Paper.objects.filter(arxiv_id__in=ids).values_list("arxiv_id", "pk"))


def _load_people(
    keys: Collection[str], person_ids: set[int], cache: PeopleCache
) -> tuple[Resolver, dict[int, PersonState]]:
    """A resolver over every live person with one of ``keys`` (from the cache, reading only the
    keys it lacks), and the states of ``person_ids`` (people already holding this batch's
    authorships) by id."""
    missing = sorted(cache.missing(keys))
    loaded: dict[str, list[PersonState]] = {key: [] for key in missing}
    for chunk in _chunks(missing, _KEY_CHUNK):
        if connection.vendor == "postgresql":
            states = bulk.live_people_by_keys(chunk)
        else:
            states = [
                PersonState.of(p)
                for p in Person.objects.filter(name_key__in=chunk, merged_into__isnull=True)
            ]
        for found_state in states:
            loaded[found_state.name_key].append(found_state)
    for key, found in loaded.items():
        cache.store(key, found)
    resolver = Resolver(buckets=cache.buckets(keys))
    people_by_id: dict[int, PersonState] = {}
    unknown: list[int] = []
    for person_id in person_ids:
        kept = cache.by_id(person_id)
        if kept is None:
            unknown.append(person_id)
        else:
            people_by_id[person_id] = kept
    for id_chunk in _chunks(sorted(unknown), _KEY_CHUNK):
        for person in Person.objects.filter(pk__in=id_chunk):
            people_by_id[person.pk] = PersonState.of(person)
    return resolver, people_by_id


def unique_records(records: Sequence[PaperRecord]) -> list[PaperRecord]:
    """One record per paper (the last wins), without names that are no one (a stray comma in
    an authors string). Erased slots (``AuthorRecord.erased``) stay: they hold their position."""
    unique = list({r.arxiv_id: r for r in records}.values())
    for record in unique:
        record.authors = [a for a in record.authors if not a.raw or a.parts.name_key != "|"]
    return unique


def _name_keys(records: Iterable[PaperRecord]) -> frozenset[str]:
    """The blocking keys of the authors to resolve (not of erased slots)."""
    return frozenset(a.parts.name_key for r in records for a in r.authors if a.raw)


def existing_by_position(
    paper_ids: list[int],
) -> dict[tuple[int, int], tuple[int, str, float]]:
    if not paper_ids:
        return {}
    return {
        (paper_id, position): (person_id, name, confidence)
        for paper_id, position, person_id, name, confidence in _existing(paper_ids)
    }


def _resolve(
    unique: Sequence[PaperRecord],
    paper_ids: dict[str, int],
    existing: dict[tuple[int, int], tuple[int, str, float]],
    people: PeopleCache,
    keys: Collection[str],
) -> tuple[list[_Row], Resolver]:
    """Every author of every paper, resolved to a person (``keys``: the authors' name keys).
    An authorship that already exists under the same name keeps its person (a recruiter may
    have merged or split it); only new or renamed mentions are resolved."""
    resolver, people_by_id = _load_people(keys, {v[0] for v in existing.values()}, people)
    rows: list[_Row] = []
    resolve = resolver.resolve
    groups: dict[str, str] = {}
    for record in unique:
        paper_id = paper_ids[record.arxiv_id]
        year = record.published.year if record.published else None
        primary = record.primary_category or next(iter(record.categories), "")
        group = groups.get(primary) or groups.setdefault(primary, category_group(primary))
        authors = record.authors
        window = (
            authors
            if len(authors) <= COAUTHOR_HEAD + COAUTHOR_TAIL
            else authors[:COAUTHOR_HEAD] + authors[-COAUTHOR_TAIL:]
        )
        # Erased slots count for positions (the window and ``is_last``), never as evidence.
        window_keys = frozenset([a.parts.name_key for a in window if a.raw])
        last = len(authors) - 1
        for position, author in enumerate(authors):
            if not author.raw:
                continue  # an erased slot: no one (``AuthorRecord.erased``)
            known = existing.get((paper_id, position)) if existing else None
            if known and known[0] in people_by_id and fold(known[1]) == fold(author.raw):
                state, score = people_by_id[known[0]], known[2]
            else:
                parts = author.parts
                state, score = resolve(
                    Mention(
                        author.raw,
                        parts,
                        author.affiliation,
                        group,
                        year,
                        window_keys - {parts.name_key},
                    )
                )
            rows.append(
                (paper_id, position, state, author.raw, author.affiliation, score,
                 position == last and position > 0)
            )  # fmt: skip
    return rows, resolver


def _outcome(outcome: BatchOutcome, rows: list[_Row]) -> BatchOutcome:
    for paper_id, position, state, *_rest, is_last in rows:
        assert state.pk is not None  # written (or reserved) by now
        if position == 0:
            outcome.first_authors[paper_id] = state.pk
        if is_last:
            outcome.last_authors[paper_id] = state.pk
    return outcome


def stale_positions(
    records: Sequence[PaperRecord],
    paper_ids: dict[str, int],
    existing: dict[tuple[int, int], tuple[int, str, float]],
) -> list[tuple[int, int]]:
    """The stored authorships a batch removes: positions past a new version's last author,
    and erased slots (``AuthorRecord.erased``)."""
    count = {paper_ids[r.arxiv_id]: len(r.authors) for r in records}
    erased = {
        (paper_ids[r.arxiv_id], position)
        for r in records
        for position, author in enumerate(r.authors)
        if not author.raw
    }
    return [
        (paper, position)
        for paper, position in existing
        if position >= count.get(paper, 0) or (paper, position) in erased
    ]


@dataclass
class BatchPlan:
    """A batch decided but not yet written (PostgreSQL): ``writes`` holds every row as COPY
    text, ``outcome`` what the batch will have done. ``generation``: the people generation the
    decisions rest on; a writer applies the plan only while it still holds."""

    records: list[PaperRecord]
    outcome: BatchOutcome
    writes: bulk.BatchWrites
    created: list[PersonState]
    keys: frozenset[str]
    generation: int | None = None

    @property
    def arxiv_ids(self) -> frozenset[str]:
        return frozenset(r.arxiv_id for r in self.records)


_CHUNK_LINES = 1000


def _encoded(lines: Iterable[str]) -> list[bytes]:
    """COPY lines as a few encoded chunks: never the whole batch as text and as bytes at once
    (a batch's payload is most of what an import holds in memory)."""
    chunks = []
    lines = iter(lines)
    while chunk := list(islice(lines, _CHUNK_LINES)):
        chunks.append("".join(chunk).encode())
    return chunks


def plan_batch(records: Sequence[PaperRecord], people: PeopleCache) -> BatchPlan:
    """Decide a batch without writing it (PostgreSQL): look up which papers are stored, reserve
    ids for the new papers and people, resolve every author, and format the rows. ``people``
    must be valid for the caller's people generation (``PeopleCache.begin``); on return it
    holds the batch's people as they will be once the plan is written."""
    unique = unique_records(records)
    outcome = BatchOutcome(papers=len(unique))
    if not unique:
        return BatchPlan([], outcome, bulk.BatchWrites(), [], frozenset())
    stored = bulk.paper_ids([r.arxiv_id for r in unique])
    new = [r for r in unique if r.arxiv_id not in stored]
    paper_ids = dict(stored)
    paper_ids.update(zip([r.arxiv_id for r in new], bulk.reserve_ids(Paper, len(new)), strict=True))
    existing = existing_by_position(list(stored.values()))
    keys = _name_keys(unique)
    rows, resolver = _resolve(unique, paper_ids, existing, people, keys)
    created, changed = resolver.changes()
    for state, reserved in zip(created, bulk.reserve_ids(Person, len(created)), strict=True):
        state.pk = reserved
    now = timezone.now().isoformat()
    paper_tail, person_tail = bulk.paper_tail(now), bulk.person_tail(now)
    paper_line, authorship_line = bulk.paper_line, bulk.authorship_line
    new_ids = {paper_ids[r.arxiv_id] for r in new}
    new_authorships: list[str] = []
    stored_authorships: list[str] = []
    people_ids: set[int] = set()
    first_authors, last_authors = outcome.first_authors, outcome.last_authors
    for paper_id, position, state, raw, affiliation, score, is_last in rows:
        pk = state.pk
        assert pk is not None  # reserved just above
        (new_authorships if paper_id in new_ids else stored_authorships).append(
            authorship_line(paper_id, pk, position, is_last, raw, affiliation, score)
        )
        people_ids.add(pk)
        if position == 0:
            first_authors[paper_id] = pk
        if is_last:
            last_authors[paper_id] = pk
    del rows
    writes = bulk.BatchWrites(
        new_papers=_encoded(paper_line(r, paper_ids[r.arxiv_id], paper_tail) for r in new),
        stored_papers=_encoded(
            paper_line(r, stored[r.arxiv_id], paper_tail) for r in unique if r.arxiv_id in stored
        ),
        new_people=_encoded(bulk.person_line(s, person_tail) for s in created),
        changed_people=_encoded(map(bulk.evidence_line, changed)),
        new_authorships=_encoded(new_authorships),
        stored_authorships=_encoded(stored_authorships),
        stale_positions=stale_positions(unique, paper_ids, existing),
        # What the authorships reference that the batch does not insert (``bulk.write``).
        referenced_papers=sorted(stored.values()),
        referenced_people=sorted(people_ids.difference(s.pk for s in created)),
    )
    outcome.new_people = len(created)
    outcome.paper_ids = paper_ids
    return BatchPlan(unique, outcome, writes, created, keys)


def ingest_batch(
    records: Sequence[PaperRecord], *, people: PeopleCache | None = None
) -> BatchOutcome:
    """Upsert papers, resolve their authors to people and upsert the authorships, in the
    caller's transaction (which holds the people lock).

    ``people``: the run's people kept from earlier batches (see ``sourcing.people.cache``);
    without it everyone is read from the database. The caller must invalidate it when this
    batch's transaction does not commit."""
    if not records:
        return BatchOutcome()
    cache = people if people is not None else PeopleCache()
    # Read before any person: a change committed after this is seen by the next batch.
    generation = people_generation()
    if connection.vendor == "postgresql":
        cache.begin(generation)
        plan = plan_batch(records, cache)
        bulk.write(plan.writes)
        _settle(cache, plan.created, generation)
        return plan.outcome
    unique = unique_records(records)
    outcome = BatchOutcome(papers=len(unique))
    if not unique:
        return outcome
    cache.begin(generation)
    paper_ids = _upsert_papers(unique)
    outcome.paper_ids = paper_ids
    existing = existing_by_position(list(paper_ids.values()))
    keys = _name_keys(unique)
    rows, resolver = _resolve(unique, paper_ids, existing, cache, keys)
    created, changed = resolver.changes()
    outcome.new_people = len(created)
    _write_people_and_authorships(created, changed, rows)
    _dropstale_positions(stale_positions(unique, paper_ids, existing))
    _settle(cache, created, generation)
    return _outcome(outcome, rows)


def _settle(cache: PeopleCache, created: list[PersonState], generation: int) -> None:
    """After the batch wrote its people: bump the people generation; anyone else's change since
    ``generation`` was read shows as a bump of more than one, and empties the cache."""
    bumped = people_generation_bump()
    cache.settle(created=created, generation=bumped if bumped == generation + 1 else None)


def _existing(paper_ids: list[int]) -> Iterable[tuple[int, int, int, str, float]]:
    if connection.vendor == "postgresql":
        return bulk.existing_authorships(paper_ids)
    return Authorship.objects.filter(paper_id__in=paper_ids).values_list(
        "paper_id", "position", "person_id", "name", "match_confidence"
    )


def _write_people_and_authorships(
    created: list[PersonState], changed: list[PersonState], rows: list[_Row]
) -> None:
    """The portable ORM path (SQLite in development and tests)."""
    new = [s.to_model() for s in created]
    Person.objects.bulk_create(new, batch_size=1000)
    for state, person in zip(created, new, strict=True):
        state.pk = person.pk
    now = timezone.now()
    updated = [s.to_model() for s in changed]
    for person in updated:
        person.updated_at = now
    if updated:
        Person.objects.bulk_update(updated, PERSON_UPDATE_FIELDS, batch_size=500)
    Authorship.objects.bulk_create(
        [
            Authorship(
                paper_id=paper_id,
                person_id=state.pk,  # type: ignore[misc]  # written just above
                position=position,
                name=raw[:300],
                affiliation=affiliation[:500],
                match_confidence=score,
                is_last=is_last,
            )
            for paper_id, position, state, raw, affiliation, score, is_last in rows
        ],
        update_conflicts=True,
        unique_fields=["paper", "position"],
        update_fields=["person", "name", "affiliation", "match_confidence", "is_last"],
        batch_size=2000,
    )


def _dropstale_positions(stale: list[tuple[int, int]]) -> None:
    if not stale:
        return
    condition = Q()
    for paper_id, position in stale:
        condition |= Q(paper_id=paper_id, position=position)
    Authorship.objects.filter(condition).delete()
