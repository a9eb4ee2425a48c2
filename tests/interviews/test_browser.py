"""The interviewer pages in a real browser: Debian's chromium driven by Playwright against the
live server. Sign in, fill and submit a scorecard (with a corrected error on the way), and see the
other interviewers' scorecards only after submitting."""

from __future__ import annotations

from typing import Any

import pytest

from interviews.services.scorecards import RatingInput, scorecard_save_draft, scorecard_submit
from tests.interviews.factories import InterviewFactory, application_for, interviewer, seeded_kit

pytestmark = [
    pytest.mark.browser,
    # live_server needs real commits; serialized_rollback restores the seeded kits and tasks
    # that the flush after this test would otherwise wipe for the tests that follow.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def loop() -> dict[str, Any]:
    """An application with a scorecard already submitted by another interviewer (olga). Built
    before the browser starts: with Playwright's event loop running, the ORM would open a
    connection in another context that outlives the test."""
    application = application_for(full_name="Dorothy Vaughan")
    me = interviewer(username="alice")
    olga = interviewer(username="olga")
    mine = InterviewFactory(application=application, interviewers=[me])
    theirs = InterviewFactory(
        application=application,
        kit=seeded_kit("ml-engineer", "pair-debugging"),
        interviewers=[olga],
    )
    card = scorecard_save_draft(
        interview=theirs,
        by=olga,
        ratings=[
            RatingInput(c.slug, 2, "Olga saw this.") for c in theirs.kit.focus_competencies.all()
        ],
        recommendation="no",
    )
    scorecard_submit(scorecard=card, by=olga)
    return {
        "kit_title": mine.kit.title,
        "competencies": [(c.slug, c.name) for c in mine.kit.focus_competencies.all()],
    }


def test_sign_in_fill_and_submit_a_scorecard_then_see_the_others(loop, browser, live_server):
    competencies = loop["competencies"]

    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)

    # when alice opens her pages she is asked to sign in, with labelled fields
    page.goto(f"{live_server.url}/interviewer/")
    assert "/interviewer/login/" in page.url
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()

    # then "my interviews" lists the candidate and the kit
    page.get_by_role("heading", name="My interviews").wait_for()
    assert loop["kit_title"] in page.content()
    page.get_by_role("link", name="Dorothy Vaughan").click()
    page.get_by_role("heading", name="Your scorecard").wait_for()

    # and olga's scorecard is not visible yet
    assert page.locator("#others-locked").is_visible()
    assert "Olga saw this." not in page.content()

    # when alice rates everything but forgets the evidence for the first competency
    for index, (slug, name) in enumerate(competencies):
        page.get_by_role("group", name=f"Rating for {name}").get_by_label("3 — strong").check()
        if index:
            page.get_by_label(f"Evidence for {name}").fill(f"Alice saw {slug}.")
    page.get_by_role("group", name="Overall recommendation").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Submit scorecard").click()

    # then a clear error summary takes the focus and links to the field
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "Write the evidence for this rating" in summary.inner_text()
    # and what she typed is still there
    assert page.get_by_label(f"Evidence for {competencies[1][1]}").input_value().startswith("Alice")

    # when she follows the error link with the keyboard and writes the evidence
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    first = page.get_by_label(f"Evidence for {competencies[0][1]}")
    first.fill("Explained the trade-off with numbers.")
    assert (
        page.get_by_role("group", name=f"Rating for {competencies[0][1]}")
        .get_by_label("3 — strong")
        .is_checked()
    )
    page.get_by_role("button", name="Submit scorecard").click()

    # then the scorecard is submitted, read-only, and olga's scorecard appears
    page.get_by_text("Scorecard submitted.").wait_for()
    assert page.get_by_role("button", name="Submit scorecard").count() == 0
    assert "Olga saw this." in page.content()
    assert "olga" in page.get_by_role("region", name="Other scorecards").inner_text()
    context.close()
