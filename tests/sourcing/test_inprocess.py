"""Tasks without a broker (``make run``) run on a background thread of the process: the request
that starts a run returns before the run does, and the run then completes on its own."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from config import inprocess
from sourcing.models import SourcingRun
from tests.hiring.factories import RoleProfileFactory, recruiter
from tests.sourcing.feeds import Entry, feed
from tests.sourcing.replay import Reply

# Real commits: the background thread has its own connection and sees only committed rows.
# serialized_rollback puts the seeded rows (groups, role profiles) back for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def background(settings):  # type: ignore[no-untyped-def]
    settings.TASKS_IN_BACKGROUND = True
    yield
    inprocess.drain(timeout=60)


def test_the_request_returns_at_once_and_the_run_completes_behind_it(arxiv_replay, background):
    # given a role to source for, and the background thread busy until the gate opens
    role = RoleProfileFactory(sourcing_categories=["cs.LG"])
    entries = [Entry("2501.00001", "A paper", ["Ada Lovelace", "Alan Turing"])]
    arxiv_replay.add("/api/query", {}, Reply(body=feed(entries, total=1)))
    client = APIClient()
    client.force_authenticate(recruiter())
    gate = threading.Event()
    inprocess.run(gate.wait, 30)

    # when
    try:
        response = client.post("/api/v1/sourcing-runs/", {"role": role.slug}, format="json")
    finally:
        gate.set()

    # then the request did not wait for the run; the run finishes afterwards
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "queued"
    inprocess.drain(timeout=60)
    run = SourcingRun.objects.get(pk=response.json()["id"])
    assert (run.status, run.papers_count, run.candidates_count) == ("succeeded", 1, 1)


def test_a_failing_task_is_logged_and_the_next_one_still_runs(background, caplog):
    ran = []

    def fail() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="config.inprocess"):
        inprocess.run(fail)
        inprocess.run(ran.append, "next")
        inprocess.drain(timeout=10)

    assert ran == ["next"]
    assert "in-process task" in caplog.text
    assert "boom" in caplog.text


def test_each_task_leaves_no_open_connection_behind(background):
    seen = []

    def query() -> None:
        SourcingRun.objects.exists()
        seen.append(connections["default"].connection is not None)

    def look() -> None:
        seen.append(connections["default"].connection is not None)

    inprocess.run(query)
    inprocess.run(look)
    inprocess.drain(timeout=10)

    # Django never closes an in-memory SQLite database (closing it would drop it): the SQLite
    # test run keeps it; on PostgreSQL the connection is closed.
    default = connections["default"]
    in_memory = default.vendor == "sqlite" and default.is_in_memory_db()
    assert seen == [True, in_memory]


def test_without_the_background_setting_a_task_runs_in_the_caller(settings):
    settings.TASKS_IN_BACKGROUND = False
    caller = threading.get_ident()
    ran_in = []

    inprocess.run(lambda: ran_in.append(threading.get_ident()))

    assert ran_in == [caller]
