"""Tasks without a broker (``make run``): ``.delay()`` and ``.apply_async()`` of every task (the
app's task class is ``InProcessTask``, so apps never know) run in this process, on one
background thread, so the request that starts a sourcing run returns at once and the admin
shows the run's progress while it runs, as it does when a worker runs it. One thread, like a
worker with a concurrency of one: runs queue behind each other, and SQLite has a single long
writer at a time.

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

from celery import Task
from celery.result import AsyncResult
from celery.utils import uuid
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
    global _executor  # noqa: PLW0603  # one executor per process, made on first use
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


class InProcessTask(Task):
    """The app's task class. With a broker it is Celery's own. Without one (``task_always_eager``)
    a task sent with ``.delay()`` or ``.apply_async()`` runs through ``run`` above, as its last
    attempt (nothing would deliver a retry later), and its failure is logged, never raised to the
    sender: a sender never sees a worker's exceptions either."""

    def apply_async(
        self,
        args: tuple[Any, ...] | None = None,
        kwargs: dict[str, Any] | None = None,
        task_id: str | None = None,
        *rest: Any,
        **options: Any,
    ) -> AsyncResult:
        if not self.app.conf.task_always_eager:
            return super().apply_async(args, kwargs, task_id, *rest, **options)
        task_id = task_id or uuid()
        if not settings.TASKS_IN_BACKGROUND:
            return self._last_attempt(tuple(args or ()), dict(kwargs or {}), task_id)
        run(self._last_attempt, tuple(args or ()), dict(kwargs or {}), task_id)
        return self.AsyncResult(task_id)

    def _last_attempt(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], task_id: str
    ) -> AsyncResult:
        result = self.apply(
            args, kwargs, task_id=task_id, retries=self.max_retries or 0, throw=False
        )
        if result.failed():
            logger.error("in-process task %s%r failed: %r", self.name, args, result.result)
        return result
