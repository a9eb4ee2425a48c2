"""The helper process (``sourcing.runs.helper``): a fork that runs calls on a connection of its
own, answers with what they return or raise, and goes when its parent goes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sourcing.runs.helper import HelperGone, HelperProcess

ROOT = Path(__file__).resolve().parents[2]


def _whoami() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    return os.getpid(), backend


def _fails(message: str) -> None:
    raise ValueError(message)


def _dies() -> None:
    os._exit(3)


def _sleeps(seconds: float) -> None:
    time.sleep(seconds)


def _unpicklable() -> Any:
    return lambda: None


def _call(helper: HelperProcess, function: Any) -> Any:
    helper.submit(function)
    return helper.result()


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_call_runs_in_another_process_on_a_connection_of_its_own(postgres):
    ours = _whoami()
    helper = HelperProcess("test")
    try:
        helper.submit(_whoami)
        theirs = helper.result()
        helper.submit(_whoami)  # and the next call, on the same connection
        again = helper.result()
    finally:
        helper.close()

    assert theirs[0] == helper.pid != ours[0]
    assert theirs[1] != ours[1]
    assert again == theirs
    # this process's connection was closed before the fork, and opens again as it was
    assert _whoami()[0] == ours[0]
    assert not _alive(helper.pid)  # closed: it ended and was reaped


@pytest.fixture
def helper() -> Iterator[HelperProcess]:
    process = HelperProcess("test")
    try:
        yield process
    finally:
        process.close()
    assert not _alive(process.pid)  # closed: it ended and was reaped


def test_what_a_call_raises_is_raised_here_and_the_helper_goes_on(helper):
    helper.submit(_fails, message="no such chunk")
    with pytest.raises(ValueError, match="no such chunk"):
        helper.result()
    helper.submit(_unpicklable)
    with pytest.raises(RuntimeError, match="function"):
        helper.result()
    assert _call(helper, os.getpid) == helper.pid


def test_a_second_call_before_the_first_is_collected_is_refused(helper):
    helper.submit(os.getpid)
    with pytest.raises(RuntimeError, match="collect it first"):
        helper.submit(os.getpid)
    assert helper.result() == helper.pid


def test_a_helper_that_dies_is_reported_not_waited_for(helper):
    helper.submit(_dies)
    with pytest.raises(HelperGone, match="ended without answering"):
        helper.result()
    with pytest.raises(HelperGone):  # and so is the next call; closing it still reaps it
        _call(helper, os.getpid)


def test_a_helper_that_hangs_is_stopped_after_the_timeout():
    helper = HelperProcess("test", timeout=0.5)
    try:
        helper.submit(_sleeps, seconds=30)
        started = time.monotonic()
        with pytest.raises(HelperGone, match="did not answer within"):
            helper.result()
        assert time.monotonic() - started < 5
        assert not _alive(helper.pid)  # killed, and reaped
    finally:
        helper.close()


def test_the_helper_goes_when_its_parent_is_killed(tmp_path):
    # given: a process with a helper, killed outright (as a worker can be)
    script = textwrap.dedent(
        """
        import os, sys, time, django
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        django.setup()
        from sourcing.runs.helper import HelperProcess
        helper = HelperProcess("orphan")
        print(helper.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)

    # when
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)

    # then: the helper reads the end of its socket and leaves
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child)
