"""What a recruiter sees while a run struggles: a note while it waits to retry, and a failed run's
reason in a few words with the details folded away (issue 18)."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from core.runs.lifecycle import run_claim
from sourcing.arxiv.runner import sourcing_run_execute
from sourcing.launch import sourcing_run_create
from sourcing.models import SourcingRun
from sourcing.runs.context import RunContext
from tests.sourcing.replay import Reply

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the probe is closed


def test_an_unreachable_arxiv_fails_the_run_with_a_short_reason(settings, admin_client):
    # given arXiv's query API at an address where nothing listens, two attempts at most
    settings.ARXIV_API_URL = f"http://127.0.0.1:{_closed_port()}/api/query"
    settings.ARXIV_MAX_ATTEMPTS = 2
    settings.ARXIV_BACKOFF_BASE = 0.01
    settings.ARXIV_MIN_REQUEST_INTERVAL = 0.01
    settings.REDIS_URL = ""
    run = sourcing_run_create(kind="api", parameters={"query": "all:testing", "max_results": 5})

    # when it runs as its last attempt
    outcome = sourcing_run_execute(run_id=run.pk, final_attempt=True)

    # then it failed with a reason people can read, and no URL-encoded query in it
    run.refresh_from_db()
    assert outcome == "failed"
    assert run.error == (
        "arXiv API: unreachable (connection failed) (gave up after 2 attempts); "
        "resume the run to continue"
    )
    assert "search_query" not in run.error
    page = admin_client.get(reverse("admin:sourcing_sourcingrun_change", args=[run.pk]))
    assert 'class="run-error">arXiv API: unreachable' in page.content.decode()


def test_a_run_waiting_to_retry_says_so_until_its_next_batch(admin_client, arxiv_replay):
    # given a running run whose client is about to wait before its third attempt
    arxiv_replay.add("/api/query", {}, Reply(status=503))
    run = sourcing_run_create(kind="api", parameters={"query": "all:testing"})
    claimed = run_claim(SourcingRun, run_id=run.pk)
    assert claimed is not None
    ctx = RunContext(run=claimed)

    # when the client reports its wait
    ctx.waiting(6.2, "HTTP 503", 3, 5)

    # then the run and its admin pages say it is retrying, not stuck at 0
    run.refresh_from_db()
    assert run.note == "Retrying: arXiv HTTP 503; attempt 3 of 5 in 6 s."
    listing = admin_client.get(reverse("admin:sourcing_sourcingrun_changelist"))
    assert "Retrying: arXiv HTTP 503" in listing.content.decode()

    # and the next committed batch clears it
    ctx.commit(checkpoint={"page": 1})
    run.refresh_from_db()
    assert run.note == ""
