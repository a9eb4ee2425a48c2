"""Tasks without a broker (``make run``): they run in this process, on one background thread,
so the request that starts a sourcing run returns at once and the admin shows the run's progress
while it runs, as it does when a worker runs it. One thread, like a worker with a concurrency of
one: runs queue behind each other, and SQLite has a single long writer at a time.

With ``TASKS_IN_BACKGROUND`` off (the test settings) they run in the calling thread instead, so
a test sees the outcome as soon as the request that started the run returns.

Nothing survives the process and nothing redelivers: a run cut off by stopping the server stays
"running" with its last committed checkpoint, for a recruiter to cancel and resume."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def run(function: Callable[..., Any], *args: Any) -> None:
    """``function(*args)`` on the background thread, or here and now when
    ``TASKS_IN_BACKGROUND`` is off (then its exceptions reach the caller)."""
    if not settings.TASKS_IN_BACKGROUND:
        function(*args)
        return
    _pool().submit(_call, function, args)


def drain(timeout: float | None = None) -> None:
    """Wait until everything submitted so far has run (one thread: jobs run in order)."""
    with _lock:
        executor = _executor
    if executor is not None:
        executor.submit(lambda: None).result(timeout)


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(1, thread_name_prefix="hirebar-task")
        return _executor


def _call(function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        function(*args)
    except Exception:
        # No request or worker is waiting for it: the log is where a failure shows (a run
        # records its own failure, status and reason, before this).
        logger.exception("in-process task %s%r failed", function.__qualname__, args)
    finally:
        # This thread's connections, which Django's request cycle would otherwise never close.
        connections.close_all()
