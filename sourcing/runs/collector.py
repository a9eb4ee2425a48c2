"""Python's cyclic garbage collector, paused for the length of a bulk import.

An import allocates millions of short-lived, acyclic objects (parsed records, author mentions,
COPY lines), all freed by reference counting, while it keeps tens of thousands of long-lived
ones (the run's people cache). The collector, triggered by allocation counts, keeps walking that
cache: measured on the benchmark, it took 4.6 s of a 21 s import and found nothing to free.

So automatic collection is off while an import runs and the young objects are collected every
``every`` batches instead, the whole heap every ``FULL_EVERY`` collections: whatever cycles an
import does make (a caught exception's traceback, say) are still freed, memory stays bounded,
and the cost is a walk of what the last batches made, not of everything. Everything alive when
the import starts (Django's and the app's modules: 130,000 objects) is set aside
(``gc.freeze``) for its length. A full walk every ten batches, through the caches of parsed
names, took 8 % of an 800,000-record import's first pass; and the young ones every ten batches
still cost 2.4 s of it (16 walks of ~150 ms: the caches of parsed names turn over every few
batches of a large file, and what they hold is young): every fifty batches, that first pass
took 37.5-39.5 s against 41.0-44.0 s, back to back, peak memory the same (212 MB; at 100,000
records no difference). Process-wide, like the switch interval the writer sets
(``sourcing.runs.pipeline``): a worker process runs one task at a time."""

from __future__ import annotations

import ctypes
import gc

COLLECT_EVERY = 50  # batches
FULL_EVERY = 10  # collections


class CollectorPause:
    def __init__(self, every: int = COLLECT_EVERY) -> None:
        self.every = max(1, every)
        self._batches = 0
        self._was_enabled = False

    def __enter__(self) -> CollectorPause:
        self._was_enabled = gc.isenabled()
        gc.disable()
        gc.collect()
        gc.freeze()
        return self

    def batch_done(self) -> None:
        """Called once a batch: every ``every`` batches, collect the young objects (those the
        batches since made and still hold), and every ``FULL_EVERY`` times everything."""
        self._batches += 1
        if self._batches % self.every == 0:
            if self._batches % (self.every * FULL_EVERY) == 0:
                gc.collect()
            else:
                gc.collect(1)

    def __exit__(self, *exc_info: object) -> None:
        gc.unfreeze()
        if self._was_enabled:
            gc.enable()


def heap_trim() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; nothing where
    there is none). Python keeps strings of more than 512 bytes (a snapshot's abstracts, COPY
    text) in that heap, and freeing them leaves holes the process keeps: after the first pass
    of an 800,000-record import, 36 MB of its resident memory was such holes (212 MB, 176 MB
    once trimmed). Called between the passes; called every ten batches of the second pass as
    well, it changed nothing measurable."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)
