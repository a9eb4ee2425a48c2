"""A recruiter sources from arXiv in the admin, in a real browser (Debian's chromium through
Playwright), the way ``make run`` serves it: no broker, so the run goes to the server's
background thread (``config.inprocess``). The action returns at once with a link to the run, and
the run's page follows its progress on its own until it succeeded."""

from __future__ import annotations

import re
import threading

import pytest

from config import inprocess
from hiring.models import RoleProfile
from tests.admin_browser import admin_sign_in
from tests.hiring.factories import recruiter
from tests.sourcing.feeds import Entry, feed
from tests.sourcing.replay import Reply

pytestmark = [
    pytest.mark.browser,
    # live_server and the background thread need real commits; serialized_rollback restores
    # the seeded role profiles for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def background(settings):  # type: ignore[no-untyped-def]
    settings.TASKS_IN_BACKGROUND = True
    gate = threading.Event()
    yield gate
    gate.set()
    inprocess.drain(timeout=60)


@pytest.fixture
def role_title() -> str:
    """A recruiter (rita) and the role she sources for. Made before the browser starts: with
    Playwright's event loop running, the ORM would open a connection in another context that
    outlives the test."""
    recruiter(username="rita", is_staff=True)
    return RoleProfile.objects.get(slug="ml-engineer").title


def test_a_run_started_in_the_admin_shows_its_progress_until_it_succeeded(
    arxiv_replay, background, role_title, browser, live_server
):
    # given a recruiter, a role, and arXiv answering with one paper
    entries = [Entry("2501.00001", "Learning to hire", ["Ada Lovelace", "Alan Turing"])]
    arxiv_replay.add("/api/query", {}, Reply(body=feed(entries, total=1)))
    # the background thread busy until the gate opens, so the run is seen waiting first
    inprocess.run(background.wait, 60)
    context, page = admin_sign_in(browser, live_server, username="rita")

    # when she starts sourcing for the role from the role profiles list
    page.goto(f"{live_server.url}/admin/hiring/roleprofile/")
    page.get_by_role("row", name=re.compile(role_title)).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("source_from_arxiv")
    page.get_by_role("button", name="Go").click()

    # then the page comes back at once, with a link to the queued run
    page.get_by_text("Started run").wait_for()
    page.get_by_role("link", name=re.compile(r"^run \d+$")).click()
    assert page.locator(".field-status .readonly").inner_text() == "Queued"

    # when the background thread gets to it, the page follows it without a click
    background.set()
    page.locator(".field-status .readonly", has_text="Succeeded").wait_for(timeout=30_000)

    # then it shows what the run found
    assert page.locator(".field-papers_count .readonly").inner_text() == "1"
    assert page.locator(".field-candidates_count .readonly").inner_text() == "1"
    assert "Ada Lovelace" in page.locator(".field-top_prospects").inner_text()
    context.close()
