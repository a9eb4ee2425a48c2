"""Python's cyclic garbage collector, paused for the length of a bulk import.

An import allocates millions of short-lived, acyclic objects (parsed records, author mentions,
COPY lines), all freed by reference counting, while it keeps tens of thousands of long-lived
ones (the run's people cache). The collector, triggered by allocation counts, keeps walking that
cache: measured on the benchmark, it took 4.6 s of a 21 s import and found nothing to free.

So automatic collection is off while an import runs and a full collection runs every
``every`` batches instead: whatever cycles an import does make (a caught exception's traceback,
say) are still freed, memory stays bounded, and the cost is one walk of the heap per ``every``
batches instead of hundreds. Process-wide, like the switch interval the writer sets
(``sourcing.runs.pipeline``): a worker process runs one task at a time."""

from __future__ import annotations

import gc

COLLECT_EVERY = 10  # batches


class CollectorPause:
    def __init__(self, every: int = COLLECT_EVERY) -> None:
        self.every = max(1, every)
        self._batches = 0
        self._was_enabled = False

    def __enter__(self) -> CollectorPause:
        self._was_enabled = gc.isenabled()
        gc.disable()
        return self

    def batch_done(self) -> None:
        """Called once a batch: every ``every`` batches, collect in full."""
        self._batches += 1
        if self._batches % self.every == 0:
            gc.collect()

    def __exit__(self, *exc_info: object) -> None:
        if self._was_enabled:
            gc.enable()
