"""People kept in memory across a run's batches decide exactly as people read back from the
database would, and are thrown away when anyone else changes people or a batch rolls back."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.runs.lifecycle import run_claim
from sourcing.launch import sourcing_run_create
from sourcing.models import Authorship, Paper, Person, SourcingRun
from sourcing.people import identities
from sourcing.people.cache import MIN_BATCH_SHARE, MIN_CAPACITY, PeopleCache
from sourcing.people.disambiguation import PersonState
from sourcing.people.names import parse_name
from sourcing.records import AuthorRecord, PaperRecord
from sourcing.runs.batches import sourcing_run_commit_batch
from sourcing.store import ingest
from sourcing.store.ingest import ingest_batch

pytestmark = pytest.mark.django_db


def paper(arxiv_id: str, category: str, year: int, *names: str) -> PaperRecord:
    return PaperRecord(
        arxiv_id=arxiv_id,
        title=f"Paper {arxiv_id}",
        categories=[category],
        primary_category=category,
        published=dt.datetime(year, 1, 1, tzinfo=dt.UTC),
        authors=[AuthorRecord(raw=name, parts=parse_name(name)) for name in names],
    )


def synthetic_papers(count: int, seed: int = 3) -> list[PaperRecord]:
    """Few surnames, full names and initials mixed, so the same blocking keys recur with real
    decisions to make (joins on evidence, new people, upgrades of initials to full names)."""
    rng = random.Random(seed)
    names = [
        f"{first} {last}"
        for first in ("Wei", "W.", "Wen", "Ana", "A.", "Anna", "A. B.", "Ana B.")
        for last in ("Zhang", "Silva", "Novak")
    ]
    categories = ["cs.LG", "cs.CV", "stat.ML", "hep-th", "math.OC"]
    return [
        paper(
            f"2401.{i:05d}",
            rng.choice(categories),
            rng.randint(2005, 2024),
            *rng.sample(names, rng.randint(1, 4)),
        )
        for i in range(count)
    ]


def people_partition() -> dict[frozenset[tuple[str, int]], tuple[object, ...]]:
    """Each person as the set of (paper, position) mentions they hold, with their evidence."""
    members: dict[int, set[tuple[str, int]]] = {}
    for person_id, arxiv_id, position in Authorship.objects.values_list(
        "person_id", "paper__arxiv_id", "position"
    ):
        members.setdefault(person_id, set()).add((arxiv_id, position))
    people = Person.objects.in_bulk(list(members))
    return {
        frozenset(mentions): (
            people[pk].display_name,
            people[pk].name_forms,
            people[pk].confidence,
            people[pk].category_groups,
            people[pk].coauthor_keys,
            people[pk].first_year,
            people[pk].last_year,
        )
        for pk, mentions in members.items()
    }


def import_in_batches(records: list[PaperRecord], cache: PeopleCache | None) -> None:
    for start in range(0, len(records), 15):
        ingest_batch(records[start : start + 15], people=cache)


def clear() -> None:
    Authorship.objects.all().delete()
    Person.objects.all().delete()
    Paper.objects.all().delete()


@pytest.mark.parametrize("capacity", [100_000, 4])
def test_kept_people_decide_exactly_as_people_read_back_each_batch(capacity):
    # given the same papers imported with every batch reading people from the database
    import_in_batches(synthetic_papers(240), cache=None)
    from_database = people_partition()
    clear()

    # when imported again keeping people across batches (a tiny capacity forces evictions)
    cache = PeopleCache(capacity=capacity)
    import_in_batches(synthetic_papers(240), cache=cache)

    # then the same people, with the same evidence, hold the same mentions
    assert people_partition() == from_database
    assert len(from_database) < 240  # real joins happened
    assert len(cache) <= capacity


def test_a_later_batch_reads_no_people_it_already_knows():
    cache = PeopleCache()
    ingest_batch([paper("2401.00001", "cs.LG", 2024, "Wei Zhang", "Ana Silva")], people=cache)

    with CaptureQueriesContext(connection) as queries:
        ingest_batch([paper("2401.00002", "cs.LG", 2024, "Ana Silva")], people=cache)

    person_table = Person._meta.db_table
    assert not [q for q in queries if q["sql"].startswith("SELECT") and person_table in q["sql"]]
    assert Person.objects.count() == 2  # Ana Silva joined the person the cache held


def test_a_merge_by_a_recruiter_between_batches_is_seen_by_the_next_batch():
    # given two people named Wei Zhang kept apart (another field, years apart)
    cache = PeopleCache()
    ingest_batch(
        [
            paper("2401.00001", "hep-th", 2005, "Wei Zhang"),
            paper("2401.00002", "cs.LG", 2024, "Wei Zhang"),
        ],
        people=cache,
    )
    physics = Authorship.objects.get(paper__arxiv_id="2401.00001").person
    cs = Authorship.objects.get(paper__arxiv_id="2401.00002").person
    assert physics != cs

    # when a recruiter merges them, then the run goes on with a new cs paper by Wei Zhang
    identities.person_merge(target=physics, sources=[cs])
    ingest_batch([paper("2401.00003", "cs.LG", 2024, "Wei Zhang")], people=cache)

    # then the mention joins the merged person, not the one merged away that the cache held
    assert Authorship.objects.get(paper__arxiv_id="2401.00003").person == physics


def test_another_import_writing_people_between_batches_is_seen_by_the_next_batch():
    ours, theirs = PeopleCache(), PeopleCache()
    ingest_batch([paper("2401.00001", "cs.LG", 2024, "Ana Silva", "Wei Zhang")], people=ours)
    generation = ours.generation
    assert generation is not None

    # another run's batch adds evidence to Ana Silva (a physics paper that joins her through
    # the shared co-author)
    ingest_batch([paper("2401.00002", "hep-th", 2024, "Ana Silva", "Wei Zhang")], people=theirs)
    assert Person.objects.filter(name_key="silva|a").count() == 1

    # when the first run imports a physics paper by Ana Silva alone
    ingest_batch([paper("2401.00003", "hep-th", 2024, "Ana Silva")], people=ours)

    # then it joins her on the physics evidence the other run added (what it held said cs only)
    assert Person.objects.filter(name_key="silva|a").count() == 1
    assert ours.generation == generation + 2  # re-read, and moved on past both bumps


def test_a_batch_that_does_not_commit_leaves_no_people_in_memory(monkeypatch):
    # given a running run whose batch fails after resolving its authors
    run = sourcing_run_create(kind=SourcingRun.Kind.SNAPSHOT, parameters={"path": "x.jsonl"})
    assert run_claim(SourcingRun, run_id=run.pk) is not None
    cache = PeopleCache()

    def fail(*args: object) -> None:
        raise RuntimeError("simulated failure after people were resolved")

    monkeypatch.setattr(ingest, "people_generation_bump", fail)
    with pytest.raises(RuntimeError):
        sourcing_run_commit_batch(
            run_id=run.pk,
            expected_checkpoint={},
            checkpoint={"line": 1},
            records=[paper("2401.00001", "cs.LG", 2024, "Wei Zhang")],
            people=cache,
        )
    assert len(cache) == 0
    assert cache.generation is None
    assert not Person.objects.exists()  # rolled back

    # when the batch is retried, its people are created again rather than taken from memory
    monkeypatch.undo()
    sourcing_run_commit_batch(
        run_id=run.pk,
        expected_checkpoint={},
        checkpoint={"line": 1},
        records=[paper("2401.00001", "cs.LG", 2024, "Wei Zhang")],
        people=cache,
    )
    authorship = Authorship.objects.get()
    assert authorship.person == Person.objects.get()
    assert cache.by_id(authorship.person_id) is not None


def cache_of(people: int, **options: object) -> tuple[PeopleCache, list[PersonState]]:
    """A cache holding ``people`` people, one per key, the first least recently used."""
    cache = PeopleCache(**options)
    states = []
    for i in range(people):
        state = PersonState.new(display_name="X", name_key=f"key{i}", full_key="")
        state.pk = i + 1
        cache.store(state.name_key, [state])
        states.append(state)
    return cache, states


def test_past_its_memory_budget_the_cache_shrinks_when_memory_reaches_a_new_high():
    # given 20,000 kept people, and resident memory read as 900, 1,100, 1,050, then 1,200
    readings = iter([900, 1_100, 1_050, 1_200])
    cache, _ = cache_of(
        20_000, capacity=50_000, memory_budget=1_000, resident=lambda: next(readings)
    )

    # then under the budget the capacity holds; past it, a tenth fewer people are kept from
    # then on; above it without a new high, the capacity holds; at a new high, it shrinks again
    capacities = []
    for _ in range(4):
        cache.settle(created=[], generation=1)
        capacities.append((cache.capacity, len(cache)))
    assert capacities == [(50_000, 20_000), (18_000, 18_000), (18_000, 18_000), (16_200, 16_200)]


def test_a_memory_budget_never_takes_the_cache_below_its_floor():
    cache, _ = cache_of(MIN_CAPACITY, memory_budget=1, resident=lambda: 2)
    cache.settle(created=[], generation=1)
    assert cache.capacity == len(cache) == MIN_CAPACITY


def test_a_full_cache_past_its_budget_evicts_down_to_nine_tenths():
    # given a cache holding 6,000 people (one per key) under a 6,000 capacity
    cache, states = cache_of(6_000, capacity=6_000, memory_budget=1, resident=lambda: 2)

    # when a batch settles with memory past the budget
    cache.settle(created=[], generation=1, protect={"key5999"})

    # then 5,400 people remain, the least recently used evicted first
    assert cache.capacity == len(cache) == 5_400
    assert cache.by_id(1) is None
    assert cache.by_id(6_000) is states[-1]
    assert cache.missing(["key0", "key5999"]) == {"key0"}


def test_a_run_keeps_its_people_within_the_configured_memory_budget(settings):
    from sourcing.runs.context import RunContext

    run = sourcing_run_create(kind=SourcingRun.Kind.SNAPSHOT, parameters={"path": "x.jsonl"})
    settings.SOURCING_MEMORY_BUDGET_MB = 240
    assert RunContext(run=run).people.memory_budget == 240 * 2**20
    settings.SOURCING_MEMORY_BUDGET_MB = 0
    assert RunContext(run=run).people.memory_budget is None


def hub_papers(count: int, seed: int = 7) -> list[PaperRecord]:
    """Two prolific authors on most papers, with co-authors drawn from 300 names, so people pass
    the co-author cap within a batch, and initials that later turn into full names."""
    rng = random.Random(seed)
    crowd = [f"{first} {last}{i}" for i in range(100) for first, last in (("Ana", "Silva"),
             ("Wei", "Zhang"), ("Y.", "Novak"))]  # fmt: skip
    hubs = ["Wei Zhang", "W. Zhang", "Yann LeCun", "Y. LeCun"]
    return [
        paper(
            f"2402.{i:05d}",
            rng.choice(["cs.LG", "stat.ML", "hep-th"]),
            rng.randint(2015, 2024),
            *rng.sample(hubs, 2),
            *rng.sample(crowd, rng.randint(1, 6)),
        )
        for i in range(count)
    ]


@pytest.mark.parametrize(
    ("records", "capped"),
    [(synthetic_papers(400, seed=3), False), (synthetic_papers(400, seed=4), False),
     (hub_papers(300), True)],
)  # fmt: skip
def test_where_batches_end_changes_no_decision(records, capped):
    # given the same papers imported whole, then in batches of 37, then of 5
    partitions = []
    for size in (len(records), 37, 5):
        cache = PeopleCache()
        for start in range(0, len(records), size):
            ingest_batch(records[start : start + size], people=cache)
        partitions.append(people_partition())
        clear()

    # then the same people, with the same evidence, hold the same mentions
    assert partitions[0] == partitions[1] == partitions[2]
    assert capped == any(len(evidence[4]) == 50 for evidence in partitions[0].values())


def test_when_the_batch_itself_is_what_memory_holds_batches_get_smaller():
    # given a cache at its floor whose batch's own (protected) people exceed it, memory rising
    readings = iter(range(10, 100))
    cache, _ = cache_of(
        MIN_CAPACITY + 100, capacity=MIN_CAPACITY, memory_budget=1, resident=lambda: next(readings)
    )
    protect = {f"key{i}" for i in range(MIN_CAPACITY + 100)}

    # when batches settle at new highs, the next batches take a tenth less each time
    shares = []
    for _ in range(30):
        cache.settle(created=[], generation=1, protect=protect)
        shares.append(round(cache.batch_share, 3))

    # then down to a tenth of the configured size, never below
    assert shares[:3] == [0.9, 0.81, 0.729]
    assert shares[-1] == MIN_BATCH_SHARE
    assert len(cache) == MIN_CAPACITY + 100  # nothing protected was evicted
