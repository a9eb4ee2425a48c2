"""One write in flight on a thread of its own, with its own database connection, while the
calling thread prepares the next: a run's Python half (parsing, deciding) and PostgreSQL's half
(COPY, index upkeep, foreign-key checks) then overlap on two cores instead of taking turns.

Used by the batch-by-batch import (``sourcing.runs.pipeline``) and by both passes of the
two-pass import (``sourcing.arxiv.snapshot``). The caller keeps the order: it collects the write
in flight (``result``) before submitting the next, so commits stay in order, each whole, and
``close``s it when done (``contextlib.closing``), which lets a write in flight end first.

While a write runs, the process's GIL switch interval is shortened (``SWITCH_INTERVAL``) and
restored when the thread closes: it is process-wide, which suits a worker process running one
task."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connections

logger = logging.getLogger(__name__)
SWITCH_INTERVAL = 0.0002  # seconds; measured: halves the time spent waiting for writes


class WriteThread:
    def __init__(self, name: str) -> None:
        self.name = name
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future[Any] | None = None
        self._switch_interval = sys.getswitchinterval()

    @property
    def busy(self) -> bool:
        return self._pending is not None

    def submit(self, function: Callable[..., Any], /, **kwargs: Any) -> None:
        """Start ``function(**kwargs)`` on the thread; the write before it must be collected."""
        if self._pending is not None:
            raise RuntimeError("a write is still in flight: collect it first")
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix=self.name)
            # The writer needs the GIL for a moment between its statements, and the deciding
            # thread holds it for up to the switch interval (5 ms by default) each time: with
            # a dozen statements a batch, PostgreSQL sat idle for ~1 s of a 100k-record import.
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
        self._pending = self._executor.submit(function, **kwargs)

    def result(self) -> Any:
        """Wait for the write in flight and return what it returned (``None`` when there was
        none); raises what it raised."""
        pending, self._pending = self._pending, None
        return None if pending is None else pending.result()

    def close(self) -> None:
        """Let the write in flight end (commit or not: an error already on its way is the one
        the caller reports, this one is logged), then close the thread and its connection."""
        if self._pending is not None:
            try:
                self.result()
            except Exception as late:
                logger.warning("%s, write in flight: %r", self.name, late)
        executor, self._executor = self._executor, None
        if executor is None:
            return
        try:
            executor.submit(connections.close_all).result()
        finally:
            executor.shutdown()
            sys.setswitchinterval(self._switch_interval)
