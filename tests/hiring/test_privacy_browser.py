"""A recruiter's data-protection day in a real browser (Debian's chromium through Playwright): the
index says a notice is overdue, the filter lists who, the notice goes from the candidate's page,
the person objects through the link in it, and another person is exported and erased."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from hiring.models import Candidate, Message
from hiring.services import CandidateInput, candidate_create
from tests.admin_browser import admin_sign_in
from tests.hiring.factories import recruiter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def people() -> dict[str, int]:
    """Made before the browser starts (Playwright's loop and the ORM do not mix)."""
    recruiter(username="rita", is_staff=True)
    overdue = candidate_create(
        data=CandidateInput(
            {"full_name": "Zofia Overdue", "source": "arxiv", "notice_state": "pending"},
            ["zofia@example.org"],
        )
    )
    Candidate.objects.filter(pk=overdue.pk).update(
        notice_due_at=timezone.now() - dt.timedelta(days=2)
    )
    leaving = candidate_create(
        data=CandidateInput(
            {
                "full_name": "Marek Leaving",
                "source": "github",
                "notice_state": "pending",
                "github_login": "marek-l",
            },
            ["marek@example.org"],
        )
    )
    return {"overdue": overdue.pk, "leaving": leaving.pk}


def _signed_in(browser: Any, live_server: Any) -> tuple[Any, Any]:
    return admin_sign_in(browser, live_server, username="rita", accept_downloads=True)


def test_an_overdue_notice_is_found_sent_and_answered_with_an_objection(
    people: dict[str, int], browser: Any, live_server: Any
) -> None:
    context, page = _signed_in(browser, live_server)

    # the index says one notice is overdue, and the link lists exactly who
    page.locator("#notices-overdue").wait_for()
    assert page.locator("#notices-overdue").inner_text() == "1 overdue"
    page.locator("#notices-overdue").click()
    page.get_by_role("link", name="Zofia Overdue").click()

    # the candidate's page sends the notice after a confirmation
    page.get_by_role("link", name="Send notice").click()
    page.get_by_role("heading", name=re.compile("Send the Art. 14 notice")).wait_for()
    page.get_by_role("button", name="Send the notice").click()
    page.get_by_text("The notice to zofia@example.org is queued").wait_for()
    zofia = Candidate.objects.get(pk=people["overdue"])
    assert zofia.notice_sent_at is not None  # the mail server (locmem here) took it
    assert Message.objects.get(candidate=zofia).status == "sent"
    # once sent, the page no longer offers it
    page.reload()
    assert page.get_by_role("link", name="Send notice").count() == 0
    (notice,) = mail.outbox
    assert notice.to == ["zofia@example.org"]
    link = re.search(r"https?://\S+/privacy/object/\S+/", notice.body)
    assert link is not None

    # the person follows the link in the notice, with no account, and objects
    visitor = browser.new_context().new_page()
    path = urlsplit(link.group(0)).path
    visitor.goto(f"{live_server.url}{path}")
    visitor.get_by_role("heading", name="Object to our use of your data").wait_for()
    visitor.get_by_label("Anything you want to tell us").fill("Please stop.")
    visitor.get_by_role("button", name="I object").click()
    visitor.get_by_role("heading", name="Your objection is recorded").wait_for()
    zofia.refresh_from_db()
    assert zofia.objected_at is not None
    assert zofia.notice_state == "objected"
    # a tampered link is a plain 404
    assert visitor.goto(f"{live_server.url}/privacy/object/not-a-token/").status == 404
    context.close()


def test_a_person_is_exported_then_erased_from_their_page(
    people: dict[str, int], browser: Any, live_server: Any
) -> None:
    context, page = _signed_in(browser, live_server)
    page.goto(f"{live_server.url}/admin/hiring/candidate/{people['leaving']}/change/")

    # export: one JSON document with what is held
    with page.expect_download() as download:
        page.get_by_role("link", name="Export data (JSON)").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["candidate"]["github_login"] == "marek-l"
    assert document["candidate"]["emails"] == ["marek@example.org"]

    # erase: a confirmation page that says what happens, then the pseudonymous record
    page.get_by_role("link", name="Erase person").click()
    page.get_by_text("This cannot be undone").wait_for()
    page.get_by_label(re.compile("Why")).fill("request by e-mail")
    page.get_by_role("button", name="Yes, erase this person").click()
    page.get_by_text(re.compile(rf"Erased candidate {people['leaving']}")).wait_for()
    assert "Marek" not in page.content()
    assert page.get_by_role("link", name="Erase person").count() == 0
    erased = Candidate.objects.get(pk=people["leaving"])
    assert erased.erased_at is not None
    assert erased.full_name == f"Erased person {erased.pk}"
    # no delete anywhere: the list offers no "Delete selected"
    page.goto(f"{live_server.url}/admin/hiring/candidate/")
    options = page.locator("select[name=action] option").all_inner_texts()
    assert not any("Delete" in o for o in options)
    context.close()
