"""A second process for a run's Python work: a fork of the calling process that runs the calls
sent to it, one at a time, on a database connection of its own, and sends back what they return
(pickled). The second pass of a snapshot import decides one chunk of keys there while it decides
the next one itself (``sourcing.arxiv.snapshot``): deciding is pure Python, which a thread
cannot spread over two cores, and it was that pass's critical path.

Forked, not spawned: the child starts with Django set up and the run's code loaded, for nothing
(a spawned interpreter would set Django up again, about a second of CPU), and a call needs
nothing passed but its function and arguments. The parent's database connections are closed
before the fork, so the child opens its own and shares no socket (psycopg never closes a
connection from a process other than the one that opened it, either). Call it with no other
thread of this process holding a connection.

The child ends when it is closed, or when the parent goes: its end of the socket then closes,
so a worker killed mid-run leaves no helper behind. What a call raises is raised again by
``result`` in the parent; a child that dies is ``HelperGone``."""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import pickle
import signal
import socket
from collections.abc import Callable
from typing import Any

from django.db import connections

logger = logging.getLogger(__name__)
# The child's collector, paused as the parent's is (``sourcing.runs.collector``): young objects
# every ten calls, everything every hundred.
_COLLECT_EVERY = 10
_FULL_EVERY = 100


class HelperGone(RuntimeError):
    """The helper process ended without answering (killed, or out of memory)."""


class HelperProcess:
    def __init__(self, name: str) -> None:
        self.name = name
        connections.close_all()  # nothing open is inherited: the child opens its own
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; what it does is checked through the parent
            ours.close()
            code = 1
            try:
                _serve(theirs)
                code = 0
            finally:
                os._exit(code)  # no atexit handlers, no finalizers of the parent's objects
        theirs.close()
        self.pid = pid
        self._socket = ours
        self._reader = ours.makefile("rb")
        self._writer = ours.makefile("wb")
        self._pending = False

    def submit(self, function: Callable[..., Any], /, **kwargs: Any) -> None:
        """Start ``function(**kwargs)`` in the helper; the call before it must be collected."""
        if self._pending:
            raise RuntimeError(f"{self.name}: a call is still in flight: collect it first")
        try:
            pickle.dump((function, kwargs), self._writer, protocol=pickle.HIGHEST_PROTOCOL)
            self._writer.flush()
        except OSError as exc:
            raise HelperGone(f"{self.name}: the helper process has ended ({exc})") from exc
        self._pending = True

    def result(self) -> Any:
        """Wait for the call in flight and return what it returned; raises what it raised."""
        self._pending = False
        try:
            ok, value = pickle.load(self._reader)  # noqa: S301 - our own fork, over a socketpair
        except (EOFError, OSError) as exc:
            raise HelperGone(f"{self.name}: the helper process ended without answering") from exc
        if not ok:
            raise value
        return value

    def settle(self) -> None:
        """With an error on its way: collect the call in flight, logging what it raised."""
        if self._pending:
            try:
                self.result()
            except Exception as late:
                logger.warning("%s, call in flight: %r", self.name, late)

    def close(self) -> None:
        """Let the call in flight end, tell the helper to stop and wait for it."""
        self.settle()
        with contextlib.suppress(OSError):  # it may have gone already
            pickle.dump(None, self._writer)
            self._writer.flush()
        for stream in (self._writer, self._reader, self._socket):
            with contextlib.suppress(OSError):
                stream.close()
        os.waitpid(self.pid, 0)


def _serve(sock: socket.socket) -> None:  # pragma: no cover - runs in the child
    # The parent's handlers (a Celery worker's warm shutdown, say) are not the helper's.
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, signal.SIG_DFL)
    reader, writer = sock.makefile("rb"), sock.makefile("wb")
    calls = 0
    try:
        while True:
            try:
                message = pickle.load(reader)  # noqa: S301 - from the parent, over a socketpair
            except (EOFError, OSError):
                return  # the parent has gone
            if message is None:
                return
            function, kwargs = message
            try:
                reply: tuple[bool, Any] = (True, function(**kwargs))
            except Exception as exc:
                reply = (False, exc)
            try:
                data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # an answer that does not pickle is an error of its own
                data = pickle.dumps((False, RuntimeError(f"{reply[1]!r} ({exc})")))
            try:
                writer.write(data)
                writer.flush()
            except OSError:
                return
            calls += 1
            if calls % _COLLECT_EVERY == 0:
                gc.collect() if calls % _FULL_EVERY == 0 else gc.collect(1)
    finally:
        connections.close_all()
