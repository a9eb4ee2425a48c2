"""Writing one batch of parsed papers: papers, author identities (disambiguated), authorships.

Callers hold the batch transaction and the people lock (``services.run_commit_batch`` does), so
the people read here are exactly what is committed and no other batch decides at the same time.
Everything is an upsert on a natural key, so replaying a batch changes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from sourcing import bulk
from sourcing.models import Authorship, Paper, Person
from sourcing.people.cache import PeopleCache
from sourcing.people.disambiguation import Mention, PersonState, Resolver
from sourcing.people.generation import people_generation, people_generation_bump
from sourcing.people.names import fold
from sourcing.records import PaperRecord, category_group

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
_KEY_CHUNK = 5000  # SQLite caps bound variables per statement


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


def _chunks(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert_papers(records: Sequence[PaperRecord]) -> dict[str, int]:
    if connection.vendor == "postgresql":
        return bulk.upsert_papers(records)
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
    keys: set[str], person_ids: set[int], cache: PeopleCache
) -> tuple[Resolver, dict[int, PersonState]]:
    """A resolver over every live person with one of ``keys`` (from the cache, reading only the
    keys it lacks), and the states of ``person_ids`` (people already holding this batch's
    authorships) by id."""
    missing = sorted(cache.missing(keys))
    loaded: dict[str, list[PersonState]] = {key: [] for key in missing}
    for chunk in _chunks(missing, _KEY_CHUNK):
        if connection.vendor == "postgresql":
            people = bulk.live_people_by_keys(chunk)
        else:
            people = list(Person.objects.filter(name_key__in=chunk, merged_into__isnull=True))
        for person in people:
            loaded[person.name_key].append(PersonState.of(person))
    for key, states in loaded.items():
        cache.store(key, states)
    resolver = Resolver(buckets=cache.buckets(keys))
    people_by_id: dict[int, PersonState] = {}
    unknown = []
    for person_id in person_ids:
        state = cache.by_id(person_id)
        if state is None:
            unknown.append(person_id)
        else:
            people_by_id[person_id] = state
    for id_chunk in _chunks(sorted(unknown), _KEY_CHUNK):  # type: ignore[arg-type]
        for person in Person.objects.filter(pk__in=id_chunk):
            people_by_id[person.pk] = PersonState.of(person)
    return resolver, people_by_id


def ingest_batch(
    records: Sequence[PaperRecord], *, people: PeopleCache | None = None
) -> BatchOutcome:
    """Upsert papers, resolve their authors to people and upsert the authorships. An authorship
    that already exists under the same name keeps its person (a recruiter may have merged or
    split it); only new or renamed mentions are resolved.

    ``people``: the run's people kept from earlier batches (see ``sourcing.people.cache``);
    without it everyone is read from the database. The caller must invalidate it when this
    batch's transaction does not commit."""
    unique = list({r.arxiv_id: r for r in records}.values())
    for record in unique:
        # An empty name (a stray comma in an authors string) is no one to find.
        record.authors = [a for a in record.authors if a.parts.name_key != "|"]
    outcome = BatchOutcome(papers=len(unique))
    if not unique:
        return outcome
    cache = people if people is not None else PeopleCache()
    # Read before any person: a change committed after this is seen by the next batch.
    generation = people_generation()
    cache.begin(generation)
    paper_ids = _upsert_papers(unique)
    outcome.paper_ids = paper_ids

    existing: dict[tuple[int, int], tuple[int, str, float]] = {}
    for paper_id, position, person_id, name, confidence in Authorship.objects.filter(
        paper_id__in=list(paper_ids.values())
    ).values_list("paper_id", "position", "person_id", "name", "match_confidence"):
        existing[(paper_id, position)] = (person_id, name, confidence)
    keys = {a.parts.name_key for r in unique for a in r.authors}
    resolver, people_by_id = _load_people(keys, {v[0] for v in existing.values()}, cache)

    rows: list[_Row] = []
    for record in unique:
        paper_id = paper_ids[record.arxiv_id]
        year = record.published.year if record.published else None
        group = category_group(record.primary_category or next(iter(record.categories), ""))
        authors = record.authors
        window = (
            authors[:COAUTHOR_HEAD] + authors[max(COAUTHOR_HEAD, len(authors) - COAUTHOR_TAIL) :]
        )
        window_keys = {a.parts.name_key for a in window}
        for position, author in enumerate(authors):
            known = existing.get((paper_id, position))
            if known and known[0] in people_by_id and fold(known[1]) == fold(author.raw):
                state, score = people_by_id[known[0]], known[2]
            else:
                mention = Mention(
                    raw=author.raw,
                    parts=author.parts,
                    affiliation=author.affiliation,
                    group=group,
                    year=year,
                    coauthor_keys=frozenset(window_keys - {author.parts.name_key}),
                )
                state, score = resolver.resolve(mention)
            rows.append(
                (paper_id, position, state, author.raw, author.affiliation, score,
                 position == len(authors) - 1 and position > 0)
            )  # fmt: skip

    created = [s.person for s in resolver.created]
    fresh = {id(p) for p in created}
    dirty = [s for s in resolver.all_states() if s.dirty]
    for state in dirty:
        state.finalise()
    changed = [s.person for s in dirty if id(s.person) not in fresh]
    outcome.new_people = len(created)
    if connection.vendor == "postgresql":
        bulk.insert_people(created)
        bulk.update_people(changed)
        bulk.upsert_authorships(
            (paper_id, state.person.pk, position, is_last, raw[:300], affiliation[:500], score)
            for paper_id, position, state, raw, affiliation, score, is_last in rows
        )
    else:
        _write_people_and_authorships(created, changed, rows)
    _drop_stale_positions(unique, paper_ids, existing)
    # Anyone else's change since ``generation`` was read shows as a bump of more than one.
    bumped = people_generation_bump()
    cache.settle(created=resolver.created, generation=bumped if bumped == generation + 1 else None)
    for paper_id, position, state, *_rest, is_last in rows:
        if position == 0:
            outcome.first_authors[paper_id] = state.person.pk
        if is_last:
            outcome.last_authors[paper_id] = state.person.pk
    return outcome


def _write_people_and_authorships(
    created: list[Person], changed: list[Person], rows: list[_Row]
) -> None:
    """The portable ORM path (SQLite in development and tests)."""
    Person.objects.bulk_create(created, batch_size=1000)
    now = timezone.now()
    for person in changed:
        person.updated_at = now
    if changed:
        Person.objects.bulk_update(changed, PERSON_UPDATE_FIELDS, batch_size=500)
    Authorship.objects.bulk_create(
        [
            Authorship(
                paper_id=paper_id,
                person=state.person,
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


def _drop_stale_positions(
    records: Sequence[PaperRecord],
    paper_ids: dict[str, int],
    existing: dict[tuple[int, int], tuple[int, str, float]],
) -> None:
    """A new version with fewer authors: remove the positions that no longer exist."""
    count = {paper_ids[r.arxiv_id]: len(r.authors) for r in records}
    stale = Q()
    any_stale = False
    for paper_id, position in existing:
        if position >= count.get(paper_id, 0):
            stale |= Q(paper_id=paper_id, position=position)
            any_stale = True
    if any_stale:
        Authorship.objects.filter(stale).delete()
