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
import time
from collections.abc import Callable
from typing import Any

from django.db import connections

logger = logging.getLogger(__name__)
# The child's collector, paused as the parent's is (``sourcing.runs.collector``): young objects
# every ten calls, everything every hundred.
_COLLECT_EVERY = 10
_FULL_EVERY = 100
# Seconds a call may take (the largest chunk of the whole arXiv takes a few) and a closed helper
# may take to exit.
ANSWER_TIMEOUT = 600.0
_EXIT_WAIT = 5.0


class HelperGone(RuntimeError):
    """The helper process ended without answering (killed, or out of memory)."""


class HelperProcess:
    def __init__(self, name: str, *, timeout: float = ANSWER_TIMEOUT) -> None:
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
        ours.settimeout(timeout)
        self.pid = pid
        self.timeout = timeout
        self._socket = ours
        self._pending = False
        self._ended = False

    def submit(self, function: Callable[..., Any], /, **kwargs: Any) -> None:
        """Start ``function(**kwargs)`` in the helper; the call before it must be collected."""
        if self._pending:
            raise RuntimeError(f"{self.name}: a call is still in flight: collect it first")
        try:
            _send(self._socket, (function, kwargs))
        except OSError as exc:
            raise HelperGone(f"{self.name}: the helper process has ended ({exc})") from exc
        self._pending = True

    def result(self) -> Any:
        """Wait for the call in flight and return what it returned; raises what it raised."""
        self._pending = False
        try:
            ok, value = _receive(self._socket)
        except TimeoutError as exc:
            self._stop()
            raise HelperGone(
                f"{self.name}: the helper process did not answer within {self.timeout:.0f} s"
            ) from exc
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
        """Let the call in flight end, tell the helper to stop and wait for it (a few seconds,
        then it is killed)."""
        self.settle()
        with contextlib.suppress(OSError):  # it may have gone already
            _send(self._socket, None)
        self._socket.close()
        deadline = time.monotonic() + _EXIT_WAIT
        while not self._ended:
            if os.waitpid(self.pid, os.WNOHANG) != (0, 0):
                self._ended = True
            elif time.monotonic() > deadline:
                self._stop()
            else:
                time.sleep(0.01)

    def _stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        if not self._ended:
            os.waitpid(self.pid, 0)
            self._ended = True


# Messages: a pickle, after its length in eight bytes. Read with the socket's timeout, so a
# helper that hangs (it should not; a lock some other thread held at the fork would do it) fails
# the run, to be resumed, rather than stalling it.
def _send(sock: socket.socket, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    sock.sendall(len(data).to_bytes(8, "big"))
    sock.sendall(data)


def _receive(sock: socket.socket) -> Any:
    size = int.from_bytes(_exactly(sock, 8), "big")
    return pickle.loads(_exactly(sock, size))  # noqa: S301 - our own fork, over a socketpair


def _exactly(sock: socket.socket, size: int) -> bytearray:
    data = bytearray(size)
    view = memoryview(data)
    got = 0
    while got < size:
        read = sock.recv_into(view[got:])
        if not read:
            raise EOFError("the other end closed")
        got += read
    return data


def _serve(sock: socket.socket) -> None:  # pragma: no cover - runs in the child
    # The parent's handlers (a Celery worker's warm shutdown, say) are not the helper's.
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(signum, signal.SIG_DFL)
    calls = 0
    try:
        while True:
            try:
                message = _receive(sock)
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
                _send(sock, reply)
            except OSError:
                return
            except Exception as exc:  # an answer that does not pickle is an error of its own
                _send(sock, (False, RuntimeError(f"{reply[1]!r} ({exc})")))
            calls += 1
            if calls % _COLLECT_EVERY == 0:
                gc.collect() if calls % _FULL_EVERY == 0 else gc.collect(1)
    finally:
        connections.close_all()
