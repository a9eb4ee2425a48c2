"""People kept in memory across the batches of one run, so a batch loads from the database only
the blocking keys (``name_key``) it has not seen before instead of every person its authors
could be.

Valid because batches are serialised by the people lock, and because everything else that
changes people bumps the people generation (``sourcing.people.generation``): a batch reads the
generation before it reads any person; when it differs from the value the cache was left at,
the cache is emptied and refilled from the database. A batch that does not commit leaves the
cache invalid (``invalidate``), since its in-memory changes were rolled back in the database.

Bounded: at most ``capacity`` people between batches (default ``DEFAULT_CAPACITY``), plus,
during a batch, the people it reads and creates; evicted a whole key at a time, least recently
used first. An evicted key is simply read again from the database when a later batch needs it.

And bounded by memory (``memory_budget``): at a fixed capacity a long import's resident memory
still crept up (252 MB at 200,000 records, 279 MB at 400,000), since freed memory is mostly kept
for reuse rather than returned. Whenever the process's resident memory reaches a new high above
the budget, the cache keeps a tenth fewer people from then on, so what evicted people free is
reused before the heap grows (measured: 271-275 MB at 400,000 records). Once the cache is at
its floor, or what is left is the batch's own people (every person sharing a blocking key with
its authors, which no cache size shrinks), the run's snapshot batches get a tenth smaller
instead (``batch_share``): where batches end changes no decision
(``tests/sourcing/test_people_cache.py``), only the speed."""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable

from sourcing.people.blocking import Bucket
from sourcing.people.disambiguation import PersonState

# Measured on the benchmark (bench/snapshot_import.py): a kept person costs ~0.7 KB (a slotted
# state sharing its small values), but a run's RSS grows with more than the cache (name caches,
# two batches in memory while one is written, the people sharing a batch's keys, allocator
# fragmentation from evictions): 60,000 kept people peaked at 252 MB at 200,000 records and
# 279 MB at 400,000; 80,000 at 299 MB there. Evicted keys are re-read when needed, which costs
# time, not correctness.
DEFAULT_CAPACITY = 60_000
# The fewest people a memory budget leaves in the cache: below this every batch rereads most of
# its people, and the memory a smaller cache would save is small beside a batch's own.
MIN_CAPACITY = 5_000
# The smallest share of the configured batch size a memory budget leaves (5,000 -> 500).
MIN_BATCH_SHARE = 0.1


def resident_bytes() -> int | None:
    """This process's resident memory now, where the system tells it (Linux); else ``None``."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def tie_order(state: PersonState) -> tuple[str, int]:
    """Ties between equally good people go to the first in this order (stored people only)."""
    return state.display_name, state.pk or 0


class PeopleCache:
    def __init__(
        self,
        capacity: int = DEFAULT_CAPACITY,
        *,
        memory_budget: int | None = None,
        resident: Callable[[], int | None] | None = None,
    ) -> None:
        """``memory_budget``: bytes of resident memory past which the cache shrinks (``None``:
        never); ``resident`` reads the process's resident memory (default ``resident_bytes``)."""
        self.capacity = capacity
        self.memory_budget = memory_budget
        self._resident = resident
        self._resident_high = 0
        # The share of its configured batch size a run's next batch should take (snapshot
        # imports; see ``settle``).
        self.batch_share = 1.0
        self.generation: int | None = None
        # Each key's list holds every live (not merged) person with that key, or none at all.
        self._buckets: OrderedDict[str, Bucket[PersonState]] = OrderedDict()
        self._by_id: dict[int, PersonState] = {}
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def begin(self, generation: int) -> None:
        """Start a batch that read ``generation`` before reading any person."""
        if generation != self.generation:
            self.clear()
        self.generation = None  # invalid until the batch settles

    def clear(self) -> None:
        self._buckets.clear()
        self._by_id.clear()
        self._size = 0

    def invalidate(self) -> None:
        self.generation = None
        self.clear()

    def missing(self, keys: Iterable[str]) -> set[str]:
        return {k for k in keys if k not in self._buckets}

    def store(self, key: str, states: list[PersonState]) -> None:
        """Every live person with ``key``, as just read from the database."""
        self._buckets[key] = Bucket(states)
        self._size += len(states)
        for state in states:
            if state.pk is not None:
                self._by_id[state.pk] = state

    def buckets(self, keys: Iterable[str]) -> dict[str, Bucket[PersonState]]:
        """The (shared, mutable) lists for these keys, each in (display name, id) order, the
        order ties between equally good people are decided in; a batch appends the people it
        creates."""
        found: dict[str, Bucket[PersonState]] = {}
        for key in keys:
            self._buckets.move_to_end(key)
            states = self._buckets[key]
            if len(states) > 1:
                states.sort(key=tie_order)
            found[key] = states
        return found

    def by_id(self, person_id: int) -> PersonState | None:
        return self._by_id.get(person_id)

    def settle(
        self,
        *,
        created: Iterable[PersonState],
        generation: int | None,
        protect: Collection[str] = (),
    ) -> None:
        """After the batch decided its people: index the new ones, evict beyond capacity, and
        become valid at ``generation`` (``None``: someone else changed people meanwhile; start
        afresh). Keys in ``protect`` (a batch decided but not yet committed) are never evicted:
        read back from the database before the commit, they would miss the batch's changes."""
        for state in created:
            if state.pk is None:
                generation = None
                break
            self._by_id[state.pk] = state
            self._size += 1
        if generation is None:
            self.invalidate()
            return
        pressed = self._memory_pressed()
        if pressed:
            self.capacity = max(MIN_CAPACITY, min(self.capacity, self._size) * 9 // 10)
        while self._size > self.capacity and self._buckets:
            key = next(iter(self._buckets))
            if key in protect:
                break  # least recently used first: the rest are this batch's keys too
            states = self._buckets.pop(key)
            self._size -= len(states)
            for state in states:
                if state.pk is not None:
                    self._by_id.pop(state.pk, None)
        if pressed and (self.capacity <= MIN_CAPACITY or self._size > self.capacity):
            # The cache has nothing more to give, or what is left is the batch's own people
            # (every person sharing a key with its authors): only smaller batches hold fewer.
            self.batch_share = max(MIN_BATCH_SHARE, self.batch_share * 0.9)
        self.generation = generation

    def _memory_pressed(self) -> bool:
        """Whether resident memory is past the budget at a new high."""
        if not self.memory_budget:
            return False
        resident = (self._resident or resident_bytes)()
        if resident is None:
            return False
        pressed = resident > self.memory_budget and resident > self._resident_high
        self._resident_high = max(self._resident_high, resident)
        return pressed
