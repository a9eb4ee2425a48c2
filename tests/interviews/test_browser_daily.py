"""An interviewer's pair-debugging interview in a real browser: the bar beside each rating, a hint
that appears where the interviewer clicked (in view, on the bug's row), the notes kept after
"Finish", and correcting the submitted scorecard from the page."""

from __future__ import annotations

from typing import Any

import pytest

from interviews.models import DebuggingTask
from tests.interviews.factories import InterviewFactory, interviewer, seeded_kit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def debugging_interview() -> dict[str, Any]:
    me = interviewer(username="dana")
    interview = InterviewFactory(interviewers=[me], kit=seeded_kit("ml-engineer", "pair-debugging"))
    task = DebuggingTask.objects.get(slug="imbalanced-metrics")
    bars = {b["competency"]: b for b in interview.application.bar_version.bars}
    return {
        "url": f"/interviewer/interviews/{interview.pk}/",
        "task": str(task.pk),
        "bugs": [(bug.pk, bug.title, bug.hints[0]) for bug in task.bugs.all()],
        "competencies": [
            (c.slug, c.name, bars[c.slug]) for c in interview.kit.focus_competencies.all()
        ],
        "interview": interview.pk,
    }


def _sign_in(page: Any, base: str, url: str) -> None:
    page.goto(f"{base}{url}")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Sign in").click()


def test_a_pair_debugging_interview_from_hint_to_correction(
    debugging_interview, browser, live_server
):
    world = debugging_interview
    context = browser.new_context(viewport={"width": 1200, "height": 700})
    page = context.new_page()
    page.set_default_timeout(10_000)
    _sign_in(page, live_server.url, world["url"])

    # the bar is next to each rating
    slug, name, bar = world["competencies"][0]
    bar_text = page.locator(f"#bar-{slug}").inner_text()
    assert f"at least {bar['minimum_level']} — " in bar_text

    # when the interviewer starts a session and gives a hint for the second bug
    page.get_by_label("Task (one the candidate has not seen)").select_option(value=world["task"])
    page.get_by_role("button", name="Start session").click()
    bug_id, _title, first_hint = world["bugs"][1]
    row = page.locator(f"#bug-{bug_id}")
    row.get_by_role("button", name="Give next hint").click()

    # then the hint text is on that bug's row, in view, not only in a banner at the top
    hint = page.locator(f"#bug-{bug_id} ol.hints li").first
    hint.wait_for()
    assert hint.inner_text() == first_hint
    assert page.evaluate(
        """(el) => { const r = el.getBoundingClientRect();
                     return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        hint.element_handle(),
    )

    # when they mark it found, type notes and finish
    page.locator(f"#found-notes-{bug_id}").fill("Saw the threshold on the wrong class.")
    page.locator(f"#bug-{bug_id}").get_by_role("button", name="Mark found").click()
    page.get_by_label("Session notes").fill("Read the metric code first; asked good questions.")
    page.get_by_role("button", name="Finish session").click()

    # then the notes are still on the page after finishing
    page.get_by_text("Read the metric code first; asked good questions.").wait_for()
    assert "Saw the threshold on the wrong class." in page.content()

    # when they submit the scorecard and then correct one rating from the page
    for slug, name, _ in world["competencies"]:
        group = page.get_by_role("group", name=f"Rating for {name}")
        group.get_by_label("3 — strong").check()
        page.get_by_label(f"Evidence for {name}").fill(f"Observed {slug}.")
    page.get_by_role("group", name="Overall recommendation").get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Submit scorecard").click()
    page.get_by_text("Scorecard submitted.").wait_for()
    assert "/api/v1/" not in page.content()
    page.get_by_text("Correct your scorecard").click()
    slug, name, _ = world["competencies"][0]
    page.get_by_role("group", name=f"Rating for {name}").get_by_label("2 — working").check()
    page.get_by_label("Why you are correcting it").fill("Second look at my notes.")
    page.get_by_role("button", name="Record correction").click()

    # then the correction is recorded and the scorecard reads as corrected, with the reason
    page.get_by_text("Correction recorded.").wait_for()
    assert "Second look at my notes." in page.content()
    scores = page.get_by_role("region", name="Your scorecard").locator("dl.scores")
    corrected = scores.locator(f"dt:text-is('{name}') + dd").inner_text()
    assert corrected.startswith("2"), corrected
    # (no ORM query here: with Playwright's loop running it would leave a connection open)
    context.close()
