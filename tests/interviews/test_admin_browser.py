"""A recruiter schedules an interview in the admin, in a real browser: once the application is
chosen, the kit search offers that role's kits only (``kit_choices.js``), and the interview is
saved with the kit picked there."""

from __future__ import annotations

from typing import Any

import pytest

from interviews.models import Interview, InterviewKit
from tests.admin_browser import admin_sign_in
from tests.interviews.factories import application_for, interviewer, recruiter

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def scheduling() -> dict[str, Any]:
    """Made before the browser starts (with Playwright's loop running, the ORM would open a
    connection that outlives the test)."""
    recruiter(username="rita", is_staff=True)
    interviewer(username="dana")
    application = application_for("ml-researcher", full_name="Grace Hopper")
    kits = InterviewKit.objects.filter(role_profile=application.opening.role_profile)
    return {
        "application": application.pk,
        "kits": sorted(str(kit) for kit in kits),
        "others": InterviewKit.objects.exclude(role_profile=application.opening.role_profile)
        .values_list("pk", flat=True)
        .count(),
    }


def _options(page: Any) -> list[str]:
    page.locator(".select2-results__option:not(.loading-results)").first.wait_for()
    return sorted(page.locator(".select2-results__option").all_inner_texts())


def test_the_kit_search_offers_the_chosen_applications_kits(scheduling, browser, live_server):
    context, page = admin_sign_in(
        browser,
        live_server,
        username="rita",
        next_url="/admin/interviews/interview/add/",
        viewport={"width": 1280, "height": 720},
    )

    # when the recruiter chooses the application
    page.locator(".field-application .select2-selection").click()
    page.locator(".select2-search__field").fill("Grace")
    page.locator(".select2-results__option", has_text="Grace Hopper").click()

    # then the kit search offers its role's kits, not the other roles'
    assert scheduling["others"] > 0
    page.locator(".field-kit .select2-selection").click()
    assert _options(page) == scheduling["kits"]
    page.locator(".select2-search__field").fill("Screen")
    page.locator(".select2-results__option", has_text="Screen").click()

    page.locator("#id_scheduled_at_0").fill("2030-01-15")
    page.locator("#id_scheduled_at_1").fill("10:00:00")
    page.locator("#id_interviewers_from").select_option(label="dana")
    page.locator("#id_interviewers_add").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()

    interview = Interview.objects.get()
    assert interview.application_id == scheduling["application"]
    assert interview.kit.stage == "screen"
    assert [u.username for u in interview.interviewers.all()] == ["dana"]
    context.close()
